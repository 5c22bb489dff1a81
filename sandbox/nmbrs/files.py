"""The documents the sandbox hands out: payslip and annual PDFs, SEPA, journal and wage tax XML.

All are rendered from the run's pay lines, so they agree with each other (the SEPA total is the
net pay of the payslips, the journal balances, the wage tax return's total is the journal's
wage tax plus employer charges), and a correction of a run changes every one of them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from lxml import etree

from sandbox import stamps
from sandbox.nmbrs.data import Company
from sandbox.nmbrs.payroll import MONTHS_NL, PayLine, Run, WageTaxReturn
from sandbox.nmbrs.pdf import render_pdf

PAIN_001 = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
LOONAANGIFTE_NS = "http://xml.belastingdienst.nl/schemas/Loonaangifte/2025/01"

# The sandbox's ledger scheme (a common Dutch chart of accounts).
GL_GROSS_WAGES = ("4000", "Brutolonen")
GL_EMPLOYER_CHARGES = ("4100", "Werkgeverslasten")
GL_NET_WAGES_PAYABLE = ("1610", "Te betalen nettolonen")
GL_WAGE_TAX_PAYABLE = ("1620", "Af te dragen loonheffing")


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def _period_name(run: Run) -> str:
    return f"{MONTHS_NL[run.period_end - 1]} {run.year}"


def payslips_pdf(company: Company, run: Run, lines: list[PayLine]) -> bytes:
    pages = []
    for line in lines:
        pages.append([
            f"Loonstrook {company.name}",
            f"Periode: {_period_name(run)} ({run.description})",
            f"Werknemer: {line.employee.number} {line.employee.name}",
            f"Kostenplaats: {line.employee.cost_centre}",
            "",
            f"Brutoloon:            EUR {_money(line.gross)}",
            f"Loonheffing:          EUR {_money(line.wage_tax)}",
            f"Nettoloon:            EUR {_money(line.net)}",
            f"Uitbetaald op rekening {line.employee.iban}",
        ])
    return render_pdf(pages, title=f"Loonstroken {company.name} {_period_name(run)}")


def annual_document_pdf(company: Company, operation: str, year: int, totals: dict[str, Decimal]) -> bytes:
    name = operation.removeprefix("SalaryDocuments_AnnualDocument_")
    lines = [f"Jaarwerk {year}: {name}", f"{company.name} (bedrijfsnummer {company.number})", ""]
    lines += [f"{label}: EUR {_money(amount)}" for label, amount in totals.items()]
    return render_pdf([lines], title=f"{name} {company.name} {year}")


def sepa_xml(company: Company, run: Run, payment_date: date, lines: list[PayLine], created: datetime) -> bytes:
    """A pain.001.001.03 credit transfer of the run's net wages, category purpose SALA. Its group header
    is stamped anew on each generation (a new MsgId; CreDtTm is `created`), as a bank file is."""
    total = sum((line.net for line in lines), Decimal("0.00"))
    msg_id = stamps.message_id(f"NMBRS-{company.id}-{run.id}")
    root = etree.Element(f"{{{PAIN_001}}}Document", nsmap={None: PAIN_001})
    cst = etree.SubElement(root, f"{{{PAIN_001}}}CstmrCdtTrfInitn")

    def sub(parent, tag, text=None, **attrs):
        el = etree.SubElement(parent, f"{{{PAIN_001}}}{tag}", **attrs)
        if text is not None:
            el.text = text
        return el

    hdr = sub(cst, "GrpHdr")
    sub(hdr, "MsgId", msg_id)
    sub(hdr, "CreDtTm", created.strftime("%Y-%m-%dT%H:%M:%S"))
    sub(hdr, "NbOfTxs", str(len(lines)))
    sub(hdr, "CtrlSum", _money(total))
    sub(sub(hdr, "InitgPty"), "Nm", company.name)
    pmt = sub(cst, "PmtInf")
    sub(pmt, "PmtInfId", f"{msg_id}-1")
    sub(pmt, "PmtMtd", "TRF")
    sub(pmt, "NbOfTxs", str(len(lines)))
    sub(pmt, "CtrlSum", _money(total))
    tp = sub(pmt, "PmtTpInf")
    sub(sub(tp, "SvcLvl"), "Cd", "SEPA")
    sub(sub(tp, "CtgyPurp"), "Cd", "SALA")
    sub(pmt, "ReqdExctnDt", payment_date.isoformat())
    sub(sub(pmt, "Dbtr"), "Nm", company.name)
    sub(sub(sub(pmt, "DbtrAcct"), "Id"), "IBAN", company.iban)
    sub(sub(sub(pmt, "DbtrAgt"), "FinInstnId"), "BIC", company.bic)
    sub(pmt, "ChrgBr", "SLEV")
    for line in lines:
        tx = sub(pmt, "CdtTrfTxInf")
        sub(sub(tx, "PmtId"), "EndToEndId", f"{run.id}-{line.employee.number}")
        sub(sub(tx, "Amt"), "InstdAmt", _money(line.net), Ccy="EUR")
        sub(sub(tx, "Cdtr"), "Nm", line.employee.name)
        sub(sub(sub(tx, "CdtrAcct"), "Id"), "IBAN", line.employee.iban)
        sub(sub(tx, "RmtInf"), "Ustrd", f"Salaris {_period_name(run)}")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def journal_lines(run: Run, lines: list[PayLine]) -> list[dict]:
    """Balanced lines: gross wages and employer charges debited per cost centre; net wages and
    wage tax (incl. employer charges) credited as payables."""
    gross, charges = defaultdict(Decimal), defaultdict(Decimal)
    for line in lines:
        gross[line.employee.cost_centre] += line.gross
        charges[line.employee.cost_centre] += line.employer_charges
    period = _period_name(run)
    out = []
    for centre in sorted(gross):
        out.append({"account": GL_GROSS_WAGES, "description": f"Brutolonen {period}", "debit": gross[centre],
                    "credit": Decimal("0"), "cost_centre": centre})
        out.append({"account": GL_EMPLOYER_CHARGES, "description": f"Werkgeverslasten {period}",
                    "debit": charges[centre], "credit": Decimal("0"), "cost_centre": centre})
    out.append({"account": GL_NET_WAGES_PAYABLE, "description": f"Nettolonen {period}", "debit": Decimal("0"),
                "credit": sum((line.net for line in lines), Decimal("0")), "cost_centre": ""})
    out.append({"account": GL_WAGE_TAX_PAYABLE, "description": f"Loonheffing {period}", "debit": Decimal("0"),
                "credit": sum((line.wage_tax + line.employer_charges for line in lines), Decimal("0")),
                "cost_centre": ""})
    return out


def journal_xml(company: Company, run: Run, lines: list[PayLine], journal_date: date) -> str:
    root = etree.Element("Journal")
    for tag, value in (("CompanyId", company.id), ("CompanyNumber", company.number), ("RunId", run.id),
                       ("Year", run.year), ("Period", run.period_end), ("JournalDate", journal_date.isoformat()),
                       ("Description", f"Journaalpost {run.description}")):
        etree.SubElement(root, tag).text = str(value)
    container = etree.SubElement(root, "JournalLines")
    for entry in journal_lines(run, lines):
        el = etree.SubElement(container, "JournalLine")
        etree.SubElement(el, "LedgerAccount").text = entry["account"][0]
        etree.SubElement(el, "LedgerAccountName").text = entry["account"][1]
        etree.SubElement(el, "Description").text = entry["description"]
        etree.SubElement(el, "Debit").text = _money(entry["debit"])
        etree.SubElement(el, "Credit").text = _money(entry["credit"])
        etree.SubElement(el, "CostCenter").text = entry["cost_centre"]
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True).decode()


def wage_tax_xml(company: Company, wage_tax: WageTaxReturn, lines: list[PayLine]) -> str:
    """A compact loonaangifte message (element names after the Belastingdienst schema)."""
    ns = LOONAANGIFTE_NS
    root = etree.Element(f"{{{ns}}}Loonaangifte", nsmap={None: ns}, version="2.0")
    ber = etree.SubElement(root, f"{{{ns}}}Bericht")
    etree.SubElement(ber, f"{{{ns}}}IdBer").text = stamps.message_id(f"LA{wage_tax.id}", 32)
    etree.SubElement(ber, f"{{{ns}}}DatTdAanm").text = stamps.now().strftime("%Y-%m-%dT%H:%M:%S")  # generated now
    etree.SubElement(ber, f"{{{ns}}}NmIP").text = "Nmbrs sandbox"
    adm = etree.SubElement(root, f"{{{ns}}}AdministratieveEenheid")
    etree.SubElement(adm, f"{{{ns}}}LhNr").text = company.wage_tax_number
    etree.SubElement(adm, f"{{{ns}}}NmIP").text = company.name
    tv = etree.SubElement(adm, f"{{{ns}}}TijdvakAangifte")
    etree.SubElement(tv, f"{{{ns}}}DatAanvTv").text = wage_tax.start.date().isoformat()
    etree.SubElement(tv, f"{{{ns}}}DatEindTv").text = wage_tax.end.date().isoformat()
    col = etree.SubElement(tv, f"{{{ns}}}CollectieveAangifte")
    total_wage = sum((line.gross for line in lines), Decimal("0"))
    total_tax = sum((line.wage_tax for line in lines), Decimal("0"))
    total_charges = sum((line.employer_charges for line in lines), Decimal("0"))
    etree.SubElement(col, f"{{{ns}}}TotLnLbPh").text = str(int(total_wage))
    etree.SubElement(col, f"{{{ns}}}TotPrlnLbPh").text = str(int(total_tax))
    etree.SubElement(col, f"{{{ns}}}TotWgfPrl").text = str(int(total_charges))
    etree.SubElement(col, f"{{{ns}}}TotTeBet").text = str(wage_tax.total_general)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True).decode()
