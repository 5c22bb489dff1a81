"""The operations the Yuki sandbox serves, with Yuki's parameter names, order and types.

Written from docs/vendors/yuki.md: every service repeats
the session operations; parameter casing differs per operation (`sessionID` on most, `sessionId`
on the PettyCash single-line imports, docs/vendors/yuki.md, "Sessions"). The WSDL (wsdl.py) and
the request parser (soap.py) are both generated from this one table, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

NAMESPACE = "http://www.theyukicompany.com/"

# XSD types as ASMX renders .NET types: value types are minOccurs=1, reference types minOccurs=0;
# XmlNode parameters and results are a mixed complexType holding <s:any/>.
STRING = "string"
INT = "int"
DECIMAL = "decimal"
DATETIME = "dateTime"
BASE64 = "base64Binary"
XML = "xml"
VALUE_TYPES = {INT, DECIMAL, DATETIME}


@dataclass(frozen=True)
class Enumeration:
    """A .NET enum as ASMX renders it: a named `s:simpleType` restricting s:string to `values`,
    referenced as `tns:<name>`; a value type, so minOccurs=1."""

    name: str
    values: tuple[str, ...]


def is_value_type(xsd_type) -> bool:
    """Value types (.NET structs and enums) are minOccurs=1 and required in a request."""
    return isinstance(xsd_type, Enumeration) or xsd_type in VALUE_TYPES


# The Archive WSDL's enums (docs/vendors/yuki.md), values in WSDL order.
SEARCH_OPTION = Enumeration("SearchOption", ("All", "Creator", "Contact", "Subject", "Tag", "Type"))
DOCUMENT_SORT_ORDER = Enumeration("DocumentSortOrder", (
    "CreatedDesc", "CreatedAsc", "ModifiedDesc", "ModifiedAsc", "DocumentDateDesc", "DocumentDateAsc",
    "ContactNameAsc", "ContactNameDesc"))


@dataclass(frozen=True)
class Group:
    """A class-typed field of an array item (a .NET reference type, so minOccurs=0): the complexType
    `name` holding string `fields`. Left out of an item when its value is None, as XmlSerializer
    leaves out a null reference. No `fields` means the layout is not public: open content (s:any)."""

    name: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArrayOf:
    """A typed array as ASMX renders a .NET array of a class: `tns:ArrayOf<Item>`, a sequence of
    `<Item>` elements (minOccurs=0, unbounded, nillable), each a complexType of `fields`: a plain name is
    an s:string, a (name, type) pair has a simple type (INT, DECIMAL, DATETIME) or a Group. No fields at
    all: the item's layout is not public and it is declared with open content (s:any)."""

    item: str
    fields: tuple = ()

    @property
    def name(self) -> str:
        return f"ArrayOf{self.item}"

    def typed_fields(self) -> tuple[tuple[str, str | Group], ...]:
        return tuple((field, STRING) if isinstance(field, str) else field for field in self.fields)


# AccountingInfo.GetGLAccountScheme -> ArrayOfGlAccount (docs/vendors/yuki.md, "Chart of accounts"): the
# two fields the public sources name, `code` and the misspelt `descripton`.
GL_ACCOUNT_ARRAY = ArrayOf("GlAccount", ("code", "descripton"))

# AccountingInfo.GetTransactions (docs/vendors/yuki.md, "Listing transactions"): the catalogue types the
# answer ArrayOfTransaction and `searchValues` ArrayOfTransactionSearch. The four fields and the two
# groups' field names are those a public client read on real data; the groups' own fields are not public
# except that a contact has a name and a code, as the journal's contact has (a guess: `code`, `name`).
# The complexType names Contact and ForeignCurrency are guesses too; a client reads elements, not types.
DATA_GROUPS = {"Contact": "contact", "ForeignCurrency": "foreignCurrency"}
TRANSACTION_ARRAY = ArrayOf("Transaction", (
    "id", ("transactionDate", DATETIME), "description", ("amount", DECIMAL),
    ("contact", Group("Contact", ("code", "name"))), ("foreignCurrency", Group("ForeignCurrency"))))
TRANSACTION_SEARCH_ARRAY = ArrayOf("TransactionSearch")


@dataclass(frozen=True)
class Operation:
    name: str
    params: tuple[tuple[str, str | Enumeration], ...]
    result: str | ArrayOf | None  # XSD type of <NameResult>, None for a void operation
    documentation: str = ""

    @property
    def soap_action(self) -> str:
        return NAMESPACE + self.name


@dataclass(frozen=True)
class Service:
    name: str  # WSDL service name, port type prefix
    path: str  # file name under /ws/
    operations: tuple[Operation, ...]

    def operation(self, name: str) -> Operation | None:
        for op in self.operations:
            if op.name == name:
                return op
        return None


SESSION = (("sessionID", STRING),)

SESSION_OPERATIONS = (
    Operation("Authenticate", (("accessKey", STRING),), STRING,
              "Returns a session ID for a valid web service access key."),
    Operation("AuthenticateByUserName", (("userName", STRING), ("password", STRING)), STRING,
              "Returns a session ID for an existing Yuki user name and password."),
    Operation("Domains", SESSION, XML, "Returns the domains reachable with the session."),
    Operation("SetCurrentDomain", SESSION + (("domainID", STRING),), None,
              "Sets the current domain of the session."),
    Operation("GetCurrentDomain", SESSION, XML, "Returns the current domain of the session."),
    Operation("Administrations", SESSION, XML, "Returns the administrations of the current domain."),
    Operation("AdministrationID", SESSION + (("administrationName", STRING),), STRING,
              "Returns the ID of the administration with this name."),
)

ACCOUNTING = Service("Accounting", "Accounting.asmx", (
    Operation("ProcessJournal", SESSION + (("administrationID", STRING), ("xmlDoc", XML)), STRING,
              "Processes a general journal; returns the GUID of the created document."),
    # The operations catalogue (docs/vendors/yuki.md, "Reconciling journals"): an XmlNode result.
    Operation("GLAccountTransactions", SESSION + (
        ("administrationID", STRING), ("GLAccountCode", STRING), ("StartDate", DATETIME), ("EndDate", DATETIME)),
        XML, "Returns the transactions on a general ledger account between two dates."),
) + SESSION_OPERATIONS)

ACCOUNTING_INFO = Service("AccountingInfo", "AccountingInfo.asmx", (
    Operation("GetGLAccountScheme", SESSION + (("administrationID", STRING),), GL_ACCOUNT_ARRAY,
              "Returns the general ledger accounts (chart of accounts) of the administration."),
    Operation("GetTransactions", SESSION + (
        ("administrationID", STRING), ("glAccountCode", STRING), ("startDate", DATETIME), ("endDate", DATETIME),
        ("financialMode", INT), ("dataGroups", STRING), ("numberOfRecords", INT), ("startRecord", INT),
        ("searchValues", TRANSACTION_SEARCH_ARRAY)), TRANSACTION_ARRAY,
        "Returns the transactions on a general ledger account between two dates, with the data groups asked for."),
) + SESSION_OPERATIONS)

_UPLOAD = SESSION + (("fileName", STRING), ("data", BASE64), ("folder", INT), ("administrationID", STRING))

ARCHIVE = Service("Archive", "Archive.asmx", (
    Operation("DocumentFolders", SESSION, XML, "Returns the archive folders."),
    Operation("UploadDocument", _UPLOAD, STRING, "Upload a document to the Yuki archive"),
    Operation("UploadDocumentWithData", _UPLOAD + (
        ("currency", STRING), ("amount", DECIMAL), ("costCategory", STRING), ("paymentMethod", INT),
        ("project", STRING), ("remarks", STRING)), STRING,
        "Upload a document to the Yuki archive, with data specified for the document content"),
    Operation("SearchDocuments", SESSION + (
        ("searchOption", SEARCH_OPTION), ("searchText", STRING), ("folderID", INT), ("tabID", INT),
        ("sortOrder", DOCUMENT_SORT_ORDER), ("startDate", DATETIME), ("endDate", DATETIME),
        ("numberOfRecords", INT), ("startRecord", INT)), XML,
        "Searches documents using a given search value. Use -1 as Folder or Tab argument to search all "
        "folders or tabs, or '0001-01-01' as date selection to search all years"),
) + SESSION_OPERATIONS)

_SINGLE_LINE = (("sessionId", STRING), ("accountGlCode", STRING), ("transactionCode", STRING),
                ("offsetAccount", STRING), ("offsetName", STRING), ("transactionDate", DATETIME),
                ("transactionDescription", STRING), ("amount", DECIMAL))

PETTYCASH = Service("PettyCash", "Pettycash.asmx", (
    Operation("ImportStatement", SESSION + (("administrationID", STRING), ("statementText", STRING)), XML,
              "Imports a petty cash statement in the Yuki CSV format."),
    Operation("ImportSingleStatementLine", _SINGLE_LINE, XML,
              "Imports a single petty cash statement line as a statement."),
    Operation("ImportSingleStatementProjectLine",
              _SINGLE_LINE + (("projectCode", STRING), ("projectName", STRING)), XML,
              "Imports a single petty cash statement line with a project as a statement."),
) + SESSION_OPERATIONS)

SERVICES = (ACCOUNTING, ACCOUNTING_INFO, ARCHIVE, PETTYCASH)


def service_for_path(path: str) -> Service | None:
    """`/ws/Pettycash.asmx` -> PETTYCASH. IIS paths are case-insensitive, so are we."""
    last = path.rstrip("/").rsplit("/", 1)[-1].lower()
    for service in SERVICES:
        if service.path.lower() == last:
            return service
    return None
