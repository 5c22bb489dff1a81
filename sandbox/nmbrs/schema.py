"""The slice of the Nmbrs SOAP v3 contract the sandbox serves: operations, parameters, types.

One table, read by both the WSDL writer and the response serializer, so what the WSDL promises
is what the sandbox answers. Names and parameter casing follow the v2.1 CompanyService WSDL and
docs/vendors/nmbrs.md, including the vendor's own inconsistencies (`RunID` vs `RunId`,
`intYear` vs `Year`) and misspellings (`AnualStatement`, `JournalEntriesCompanyrCumulative`).
"""

from __future__ import annotations

from dataclasses import dataclass

NAMESPACE_ROOT = "https://api.nmbrs.nl/soap/v3/"
SERVICES = ("CompanyService", "DebtorService")
HEADER_ELEMENT = "AuthHeaderWithDomain"
HEADER_FIELDS = ("Username", "Token", "Domain")


def namespace(service: str) -> str:
    return f"{NAMESPACE_ROOT}{service}"


# Simple xsd types are written as "int", "string", ...; complex ones by name. A field spec is
# (name, type, nillable).
TYPES: dict[str, list[tuple[str, str, bool]]] = {
    "Company": [
        ("ID", "int", False), ("Number", "int", False), ("Name", "string", False),
        ("PhoneNumber", "string", False), ("FaxNumber", "string", False), ("Email", "string", False),
        ("Website", "string", False), ("LoonaangifteTijdvak", "LoonaangifteTijdvak", False),
        ("KvkNr", "string", False),
    ],
    "Debtor": [("Id", "int", False), ("Number", "string", False), ("Name", "string", False)],
    "RunInfo": [
        ("ID", "int", False), ("Number", "int", False), ("Year", "int", False),
        ("PeriodStart", "int", False), ("PeriodEnd", "int", False), ("Description", "string", False),
        ("RunAt", "dateTime", False), ("IsLocked", "boolean", False),
    ],
    "WageTax": [
        ("LoonaangifteID", "int", False), ("SerialNumber", "int", False),
        ("PaymentReference", "string", False), ("TotalGeneral", "int", False), ("Period", "int", False),
        ("Year", "int", False), ("Status", "string", False), ("SentAt", "dateTime", False),
        ("TijdvakStart", "dateTime", False), ("TijdvakEnd", "dateTime", False),
        ("CorrectionTijdvakStart", "dateTime", True), ("CorrectionTijdvakEnd", "dateTime", True),
    ],
    "Payslip": [("PDF", "base64Binary", False)],
    "SalaryDocument": [("PDF", "base64Binary", False)],
}
ARRAYS = {"ArrayOfCompany": "Company", "ArrayOfDebtor": "Debtor", "ArrayOfRunInfo": "RunInfo",
          "ArrayOfWageTax": "WageTax"}
ENUMS = {"LoonaangifteTijdvak": ("None", "Month", "Week4", "Month6", "Year")}
VALUE_TYPES = {"int", "boolean", "dateTime", "decimal"}  # xsd value types: minOccurs=1 in .NET WSDLs


@dataclass(frozen=True)
class Operation:
    service: str
    name: str
    params: tuple[tuple[str, str], ...]
    result: str  # a simple type or a key of TYPES / ARRAYS

    @property
    def result_element(self) -> str:
        return f"{self.name}Result"


ANNUAL_DOCUMENT_OPERATIONS = (
    "SalaryDocuments_AnnualDocument_AnualStatement",
    "SalaryDocuments_AnnualDocument_CompanyWageComponentsCumulative",
    "SalaryDocuments_AnnualDocument_JournalEntriesCompanyrCumulative",
    "SalaryDocuments_AnnualDocument_JournalEntriesCostCenterCumulative",
    "SalaryDocuments_AnnualDocument_JournalEntriesDepartmentCumulative",
    "SalaryDocuments_AnnualDocument_JournalEntriesEmployeeCumulative",
    "SalaryDocuments_AnnualDocument_LeaveSaldos",
    "SalaryDocuments_AnnualDocument_PaymentListCumulative",
    "SalaryDocuments_AnnualDocument_PayrollRegister",
    "SalaryDocuments_AnnualDocument_PayrollRegisterAllEmployees",
    "SalaryDocuments_AnnualDocument_PayrollRegisterSummaryCumulative",
    "SalaryDocuments_AnnualDocument_ReservationSaldos",
    "SalaryDocuments_AnnualDocument_SentWageTaxDeclarations",
    "SalaryDocuments_AnnualDocument_WageTaxDeclarationOverviewByPeriod",
    "SalaryDocuments_AnnualDocument_WageTaxDeclarationOverviewCumulative",
)

_C = "CompanyService"
OPERATIONS: tuple[Operation, ...] = (
    Operation("DebtorService", "List_GetAll", (), "ArrayOfDebtor"),
    Operation(_C, "List_GetAll", (), "ArrayOfCompany"),
    Operation(_C, "List_GetByDebtor", (("DebtorId", "int"),), "ArrayOfCompany"),
    Operation(_C, "Run_GetList", (("CompanyId", "int"), ("Year", "int")), "ArrayOfRunInfo"),
    Operation(_C, "WageTax_GetList", (("CompanyId", "int"), ("intYear", "int")), "ArrayOfWageTax"),
    Operation(_C, "WageTax_GetXML", (("LoonaangifteID", "int"), ("CompanyId", "int")), "string"),
    Operation(_C, "SalaryDocuments_GetAllPayslipsPDFByRunCompany_v2",
              (("CompanyId", "int"), ("RunID", "int"), ("intYear", "int")), "Payslip"),
    Operation(_C, "SalaryDocuments_GetSEPA",
              (("CompanyId", "int"), ("RunID", "int"), ("Year", "int"), ("paymentDate", "dateTime")), "string"),
    Operation(_C, "Journals_GetByRunCompany_v2",
              (("CompanyId", "int"), ("RunId", "int"), ("intYear", "int")), "string"),
) + tuple(
    Operation(_C, name, (("CompanyId", "int"), ("RunId", "int"), ("Year", "int")), "SalaryDocument")
    for name in ANNUAL_DOCUMENT_OPERATIONS
)


def operations_of(service: str) -> list[Operation]:
    return [op for op in OPERATIONS if op.service == service]


def find_operation(service: str, name: str) -> Operation | None:
    for op in OPERATIONS:
        if op.service == service and op.name == name:
            return op
    return None


def types_used_by(service: str) -> list[str]:
    """Complex types (in dependency order) that a service's WSDL must declare."""
    needed: list[str] = []
    for op in operations_of(service):
        item = ARRAYS.get(op.result)
        for name in ([item, op.result] if item else [op.result]):
            if (name in TYPES or name in ARRAYS) and name not in needed:
                needed.append(name)
    return needed
