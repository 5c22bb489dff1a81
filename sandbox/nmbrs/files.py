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


SALARY_DAY = 25  # the day of the month the sandbox's journal books the wages on


def journal_transactions(run: Run, lines: list[PayLine], period_end: date) -> list[tuple[date, list[dict]]]:
    """A run's journal as Nmbrs exports it (docs/vendors/nmbrs.md, "Journals"): several transactions,
    each balanced on its own and with its own date. Here: the wages (gross per cost centre, against net
    wages and wage tax payable) on the salary day, and the employer charges (per cost centre, against
    the wage tax payable) on the period end. Both dates are fixed by the period, so an unchanged run
    gives the same journal every day. Payables carry no cost centre; the sandbox has no cost units, so
    dim3 is always empty."""
    gross, charges = defaultdict(Decimal), defaultdict(Decimal)
    for line in lines:
        gross[line.employee.cost_centre] += line.gross
        charges[line.employee.cost_centre] += line.employer_charges
    period = _period_name(run)

    def entry(account, side, value, description, centre=""):
        return {"dim1": account[0], "dim2": centre, "dim3": "", "value": value, "debitcredit": side,
                "description": description}

    wages = [entry(GL_GROSS_WAGES, "debit", gross[c], f"Brutolonen {period}", c) for c in sorted(gross)]
    wages.append(entry(GL_NET_WAGES_PAYABLE, "credit", sum((line.net for line in lines), Decimal("0")),
                       f"Nettolonen {period}"))
    wages.append(entry(GL_WAGE_TAX_PAYABLE, "credit", sum((line.wage_tax for line in lines), Decimal("0")),
                       f"Loonheffing {period}"))
    employer = [entry(GL_EMPLOYER_CHARGES, "debit", charges[c], f"Werkgeverslasten {period}", c)
                for c in sorted(charges)]
    employer.append(entry(GL_WAGE_TAX_PAYABLE, "credit", sum(charges.values(), Decimal("0")),
                          f"Premies werkgever {period}"))
    return [(period_end.replace(day=SALARY_DAY), wages), (period_end, employer)]


def journal_xml(run: Run, lines: list[PayLine], period_end: date) -> str:
    """`<transactions>`, one `<transaction>` each with `header/date` (YYYYMMDD) and `lines/line`."""
    root = etree.Element("transactions")
    for entry_date, entries in journal_transactions(run, lines, period_end):
        transaction = etree.SubElement(root, "transaction")
        etree.SubElement(etree.SubElement(transaction, "header"), "date").text = entry_date.strftime("%Y%m%d")
        container = etree.SubElement(transaction, "lines")
        for entry in entries:
            el = etree.SubElement(container, "line")
            for tag in ("dim1", "dim2", "dim3"):
                etree.SubElement(el, tag).text = entry[tag]
            etree.SubElement(el, "value").text = _money(entry["value"])
            etree.SubElement(el, "debitcredit").text = entry["debitcredit"]
            etree.SubElement(el, "description").text = entry["description"]
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
