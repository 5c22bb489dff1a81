"""Archive folders (FACTS.md "Folders"). Payslips belong in Personnel, wage tax returns in Tax."""

from __future__ import annotations

from enum import IntEnum


class ArchiveFolder(IntEnum):
    PURCHASE = 1
    SALES = 2
    BANK = 3
    PERSONNEL = 4  # "Personeel": payslips, annual statements
    TAX = 5  # "Belasting": wage tax returns
    TO_BE_SORTED = 7  # sorted by Yuki; the default when nothing else fits
    OTHER_FINANCIAL = 8


# UploadDocumentWithData's extra fields, in WSDL order, with the values sent when not given
# (amount and paymentMethod are minOccurs=1 in the real Archive WSDL, so they are always sent).
UPLOAD_DATA_FIELDS = ("currency", "amount", "cost_category", "payment_method", "project", "remarks")
