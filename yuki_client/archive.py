"""Archive folders (docs/vendors/yuki.md, "Archive folders"). Payslips belong in Personnel, wage tax returns in Tax.

Also the fixed values of the Archive's upload and search operations."""

from __future__ import annotations

from datetime import date
from enum import IntEnum


class ArchiveFolder(IntEnum):
    PURCHASE = 1
    SALES = 2
    BANK = 3
    PERSONNEL = 4  # "Personeel": payslips, annual statements
    TAX = 5  # "Belasting": wage tax returns
    TO_BE_SORTED = 7  # sorted by Yuki; the default when nothing else fits
    OTHER_FINANCIAL = 8


# SearchDocuments (the Archive WSDL; its documentation: "Use -1 as Folder or Tab argument to search all
# folders or tabs, or '0001-01-01' as date selection to search all years").
SEARCH_OPTIONS = ("All", "Creator", "Contact", "Subject", "Tag", "Type")  # the WSDL's SearchOption enum
ALL_FOLDERS = -1
ALL_TABS = -1
ALL_YEARS = date(1, 1, 1)  # == date.min; as `start` it searches every year
SEARCH_SORT_ORDER = "CreatedDesc"  # a DocumentSortOrder value: newest first
SEARCH_DEFAULT_DAYS = 400  # the service requires dates; by default search this many days back
# Whether startRecord counts from 0 or 1 is not public. 0 is the safe guess: if Yuki counts from 1
# it still starts at the first document, whereas sending 1 to a service counting from 0 would skip
# the newest match (and a lost upload could look as if it never arrived).
FIRST_RECORD = 0
