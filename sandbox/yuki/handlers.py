"""What each sandbox operation does: Yuki's behaviour as far as docs/vendors/yuki.md describes it.

Every handler takes (state, session, params) and returns the result: a string, an lxml element
(for XmlNode results) or None (void). Session checks and call counting happen before, in app.py.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from lxml import etree

from sandbox.yuki import fault_texts, journal_rules, statement_rules
from sandbox.yuki.operations import DATA_GROUPS
from sandbox.yuki.state import (
    AMSTERDAM,
    ArchivedFile,
    BookedJournal,
    PettyCashImport,
    SandboxState,
    Session,
    SoapFault,
)

# Archive folders as documented (docs/vendors/yuki.md): 1-5, 7 and 8; 6 is not documented. Uploads may
# go to any of them (the Archive WSDL types `folder` as a plain s:int and documents no restriction), and
# the sandbox refuses only a folder its own DocumentFolders does not list, as Yuki would an unknown one.
ARCHIVE_FOLDERS = {
    1: "Inkoop", 2: "Verkoop", 3: "Bank", 4: "Personeel", 5: "Belasting",
    7: "Nog te sorteren door Yuki", 8: "Overig financieel",
}


def _domain_element(tag_parent, domain) -> etree._Element:
    element = etree.SubElement(tag_parent, "Domain", ID=domain.id) if tag_parent is not None \
        else etree.Element("Domain", ID=domain.id)
    etree.SubElement(element, "Name").text = domain.name
    etree.SubElement(element, "URL").text = domain.url
    return element


def domains(state: SandboxState, session: Session, params: dict):
    root = etree.Element("Domains")
    _domain_element(root, state.domains[session.domain_id])
    return root


def set_current_domain(state: SandboxState, session: Session, params: dict):
    if params["domainID"] != session.domain_id:
        raise SoapFault(fault_texts.UNKNOWN_DOMAIN.format(id=params["domainID"] or ""))
    session.current_domain_id = params["domainID"]


def get_current_domain(state: SandboxState, session: Session, params: dict):
    return _domain_element(None, state.domains[session.current_domain_id])


def administrations(state: SandboxState, session: Session, params: dict):
    root = etree.Element("Administrations")
    for administration_id in session.administration_ids:
        administration = state.administrations[administration_id]
        element = etree.SubElement(root, "Administration", ID=administration.id)
        etree.SubElement(element, "Name").text = administration.name
        etree.SubElement(element, "CoCNumber").text = administration.coc_number
    return root


def administration_id(state: SandboxState, session: Session, params: dict):
    name = (params["administrationName"] or "").strip()
    for candidate in session.administration_ids:
        if state.administrations[candidate].name == name:
            return candidate
    raise SoapFault(fault_texts.UNKNOWN_ADMINISTRATION_NAME.format(name=name))


def process_journal(state: SandboxState, session: Session, params: dict):
    administration = state.administration(session, params["administrationID"])
    root = journal_rules.journal_root(params["xmlDoc"])
    subject, journal_type, entries = journal_rules.read_journal(root, administration)
    for number, entry in enumerate(entries, start=1):
        # Yuki books only on accounts of the administration's chart (docs/vendors/yuki.md, "Chart of accounts").
        if entry.gl_account not in administration.gl_accounts:
            raise SoapFault(fault_texts.UNKNOWN_GL_ACCOUNT.format(number=number, code=entry.gl_account,
                                                                  id=administration.id))
    document_id = str(uuid.uuid4())
    stored = etree.fromstring(etree.tostring(root))
    etree.cleanup_namespaces(stored)  # drop the envelope's namespace declarations lxml carries along
    state.book_journal(BookedJournal(document_id, administration.id, subject, journal_type, entries,
                                     etree.tostring(stored)))
    return document_id


def gl_account_transactions(state: SandboxState, session: Session, params: dict):
    """Every line ProcessJournal booked in the administration on this account, with an entry date from
    StartDate to EndDate (calendar days, both included), in booking order. The layout is the one
    docs/vendors/yuki.md ("Reconciling journals") describes; what is listed is what was booked."""
    administration = state.administration(session, params["administrationID"])
    code = (params["GLAccountCode"] or "").strip()
    if not code:
        raise SoapFault("Value cannot be null. Parameter name: GLAccountCode")
    start, end = _local(params["StartDate"]).date(), _local(params["EndDate"]).date()
    root = etree.Element("GLAccountTransactions")
    for journal in state.booked_journals(administration.id):
        for entry in journal.entries:
            if entry.gl_account == code and start <= entry.entry_date <= end:
                element = etree.SubElement(root, "GLAccountTransaction")
                etree.SubElement(element, "Date").text = entry.entry_date.isoformat() + "T00:00:00"
                etree.SubElement(element, "Description").text = entry.description
                etree.SubElement(element, "Amount").text = f"{entry.amount:f}"
    return root


def gl_account_scheme(state: SandboxState, session: Session, params: dict):
    """The administration's chart in code order, as ArrayOfGlAccount (operations.GL_ACCOUNT_ARRAY)."""
    administration = state.administration(session, params["administrationID"])
    return [{"code": code, "descripton": description}
            for code, description in sorted(administration.gl_accounts.items())]


def get_transactions(state: SandboxState, session: Session, params: dict):
    """AccountingInfo.GetTransactions (docs/vendors/yuki.md, "Listing transactions"): the lines
    ProcessJournal booked in the administration on this account, entry date from startDate to endDate
    (calendar days, both included), in booking order, then `numberOfRecords` from `startRecord`
    (0 = the first). A data group is in an item only when `dataGroups` names it. `financialMode` and
    `searchValues` are accepted and not interpreted: their meaning is not public."""
    administration = state.administration(session, params["administrationID"])
    code = (params["glAccountCode"] or "").strip()
    if not code:
        raise SoapFault("Value cannot be null. Parameter name: glAccountCode")
    start, end = _local(params["startDate"]).date(), _local(params["endDate"]).date()
    if start > end:
        raise SoapFault(fault_texts.DATES_REVERSED.format(start=start.isoformat(), end=end.isoformat()))
    number, first = params["numberOfRecords"], params["startRecord"]
    if number < 0 or first < 0:
        raise SoapFault("numberOfRecords and startRecord cannot be negative.")
    groups = _data_groups(params["dataGroups"])
    found = []
    for journal in state.booked_journals(administration.id):
        for line, entry in enumerate(journal.entries, start=1):
            if entry.gl_account == code and start <= entry.entry_date <= end:
                found.append(_transaction(journal, line, entry, groups))
    return found[first:first + number]


def _data_groups(text: str | None) -> set[str]:
    """`Contact,ForeignCurrency` -> {"contact", "foreignCurrency"}; a name the sandbox does not know is
    refused rather than ignored, so a misspelt group shows up in tests rather than as a missing field."""
    names = {name.strip() for name in (text or "").split(",") if name.strip()}
    unknown = sorted(names - set(DATA_GROUPS))
    if unknown:
        raise SoapFault(fault_texts.UNKNOWN_DATA_GROUP.format(name=unknown[0], known=", ".join(DATA_GROUPS)))
    return {DATA_GROUPS[name] for name in names}


def _transaction(journal: BookedJournal, line: int, entry, groups: set[str]) -> dict:
    # A stable ID per booked line: the same line has the same ID on every call, as a Yuki transaction has.
    item = {"id": str(uuid.uuid5(uuid.UUID(journal.id), str(line))),
            "transactionDate": datetime.combine(entry.entry_date, datetime.min.time()),
            "description": entry.description, "amount": entry.amount,
            "contact": None, "foreignCurrency": None}
    if "contact" in groups:
        item["contact"] = {"code": entry.contact_code, "name": entry.contact_name}
    if "foreignCurrency" in groups:
        item["foreignCurrency"] = {}  # ProcessJournal books in the administration's currency: nothing foreign
    return item


def document_folders(state: SandboxState, session: Session, params: dict):
    root = etree.Element("DocumentFolders")
    for folder_id, name in ARCHIVE_FOLDERS.items():
        folder = etree.SubElement(root, "Folder", ID=str(folder_id))
        etree.SubElement(folder, "Description").text = name
    return root


def upload_document(state: SandboxState, session: Session, params: dict):
    administration = state.administration(session, params["administrationID"])
    if not params["fileName"]:
        raise SoapFault("A file name is required.")
    if not params["data"]:
        raise SoapFault("The document is empty.")
    if params["folder"] not in ARCHIVE_FOLDERS:
        raise SoapFault(f"Folder {params['folder']} does not exist.")
    extra = {name: params[name] for name in ("currency", "amount", "costCategory", "paymentMethod",
                                             "project", "remarks") if name in params}
    document_id = str(uuid.uuid4())
    state.store_file(ArchivedFile(document_id, administration.id, params["fileName"], params["data"],
                                  params["folder"], extra))
    return document_id


# SearchDocuments (Archive WSDL documentation): -1 searches every folder or tab, 0001-01-01 every year.
ALL = -1
ALL_YEARS = date(1, 1, 1)
# What the sandbox can search in: it keeps no creator, contact, tag or document type, and an upload's
# subject is its file name, so those two options search the file name and the others find nothing.
SEARCHES_FILE_NAME = {"All", "Subject"}


def _local(moment: datetime) -> datetime:
    """A moment as Amsterdam wall-clock time without tzinfo (how the sandbox compares and writes dates)."""
    return moment.astimezone(AMSTERDAM).replace(tzinfo=None) if moment.tzinfo else moment


def _in_dates(created: datetime, start: datetime, end: datetime) -> bool:
    """Inclusive calendar-day selection; a bound of 0001-01-01 leaves that side open ("all years")."""
    day = _local(created).date()
    return ((start.date() == ALL_YEARS or _local(start).date() <= day)
            and (end.date() == ALL_YEARS or day <= _local(end).date()))


def _document_element(parent, archived: ArchivedFile) -> None:
    # The layout of a found document is not public; the client's guess lives in
    # yuki_client/results.py (DOCUMENT_FIELDS) and reads this layout and others.
    created = _local(archived.created).isoformat(timespec="seconds")
    element = etree.SubElement(parent, "Document", ID=archived.id)
    etree.SubElement(element, "Subject").text = archived.file_name
    etree.SubElement(element, "FileName").text = archived.file_name
    etree.SubElement(element, "FolderID").text = str(archived.folder)
    etree.SubElement(element, "Created").text = created
    etree.SubElement(element, "Modified").text = created


def search_documents(state: SandboxState, session: Session, params: dict):
    """File names containing the search text (case-insensitive) in the session's administrations,
    within the folder and dates, sorted, then `numberOfRecords` from `startRecord` (0 = the first)."""
    folder, tab = params["folderID"], params["tabID"]
    number, first = params["numberOfRecords"], params["startRecord"]
    if folder != ALL and folder not in ARCHIVE_FOLDERS:
        raise SoapFault(f"Folder {folder} does not exist.")
    if number < 0 or first < 0:
        raise SoapFault("numberOfRecords and startRecord cannot be negative.")
    text = (params["searchText"] or "").strip().casefold()
    option = params["searchOption"]
    found = [archived for archived in state.archived_files(session.administration_ids)
             if (folder == ALL or archived.folder == folder)
             and tab == ALL  # API uploads go to a folder, not to one of its tabs
             and _in_dates(archived.created, params["startDate"], params["endDate"])
             and (not text or (option in SEARCHES_FILE_NAME and text in archived.file_name.casefold()))]
    order = params["sortOrder"]
    if not order.startswith("ContactName"):  # no contacts here: those orders keep the upload order
        # Created, Modified and DocumentDate are all the upload time in the sandbox.
        ranked = sorted(enumerate(found), key=lambda pair: (_local(pair[1].created), pair[0]),
                        reverse=order.endswith("Desc"))
        found = [archived for _, archived in ranked]
    root = etree.Element("Documents")
    for archived in found[first:first + number]:
        _document_element(root, archived)
    return root


def _import_result(document_id: str, lines: int):
    root = etree.Element("ImportResult")
    etree.SubElement(root, "DocumentID").text = document_id
    etree.SubElement(root, "Lines").text = str(lines)
    return root


def import_statement(state: SandboxState, session: Session, params: dict):
    administration = state.administration(session, params["administrationID"])
    text = params["statementText"] or ""
    lines = statement_rules.read_statement(text, administration)
    document_id = str(uuid.uuid4())
    state.store_petty_cash(PettyCashImport(document_id, administration.id, "ImportStatement", lines, text))
    return _import_result(document_id, len(lines))


def import_single_line(state: SandboxState, session: Session, params: dict, operation: str):
    # No administration ID in these operations (docs/vendors/yuki.md): the key's own administration is meant.
    administration = state.administration(session, session.administration_ids[0])
    line = statement_rules.single_line(params, administration)
    document_id = str(uuid.uuid4())
    state.store_petty_cash(PettyCashImport(document_id, administration.id, operation, [line]))
    return _import_result(document_id, 1)


HANDLERS = {
    "Domains": domains,
    "SetCurrentDomain": set_current_domain,
    "GetCurrentDomain": get_current_domain,
    "Administrations": administrations,
    "AdministrationID": administration_id,
    "ProcessJournal": process_journal,
    "GLAccountTransactions": gl_account_transactions,
    "GetGLAccountScheme": gl_account_scheme,
    "GetTransactions": get_transactions,
    "DocumentFolders": document_folders,
    "UploadDocument": upload_document,
    "UploadDocumentWithData": upload_document,
    "SearchDocuments": search_documents,
    "ImportStatement": import_statement,
    "ImportSingleStatementLine": lambda st, se, p: import_single_line(st, se, p, "ImportSingleStatementLine"),
    "ImportSingleStatementProjectLine":
        lambda st, se, p: import_single_line(st, se, p, "ImportSingleStatementProjectLine"),
}
