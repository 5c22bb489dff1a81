"""The per-employee files REST has and SOAP has not: a payslip per period, an annual statement per year.

Rendered from the SOAP sandbox's pay lines, so they agree with its journals, SEPA files and returns.
"""

from __future__ import annotations

from decimal import Decimal

from sandbox.nmbrs.data import Company, Employee
from sandbox.nmbrs.payroll import MONTHS_NL
from sandbox.nmbrs.pdf import render_pdf
from sandbox.nmbrs.state import NmbrsState


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def payslip_pdf(payroll: NmbrsState, company: Company, employee: Employee, year: int, period: int) -> bytes:
    """One page per run of the period that paid the employee (a correction run adds a page)."""
    pages = []
    for run in payroll.runs(company, year):
        if run.period_end != period:
            continue
        for line in payroll.pay_lines(company, run):
            if line.employee.number != employee.number:
                continue
            pages.append([f"Loonstrook {company.name}", f"Periode: {MONTHS_NL[period - 1]} {year} ({run.description})",
                          f"Werknemer: {employee.number} {employee.name}", "",
                          f"Brutoloon:            EUR {_money(line.gross)}",
                          f"Loonheffing:          EUR {_money(line.wage_tax)}",
                          f"Nettoloon:            EUR {_money(line.net)}"])
    return render_pdf(pages, title=f"Loonstrook {employee.name} {MONTHS_NL[period - 1]} {year}")


def annual_statement_pdf(payroll: NmbrsState, company: Company, employee: Employee, year: int) -> bytes:
    gross = tax = Decimal("0.00")
    for run in payroll.runs(company, year):
        for line in payroll.pay_lines(company, run):
            if line.employee.number == employee.number:
                gross, tax = gross + line.gross, tax + line.wage_tax
    return render_pdf([[f"Jaaropgave {year}", f"{company.name} (bedrijfsnummer {company.number})",
                        f"Werknemer: {employee.number} {employee.name}", "",
                        f"Loon voor de loonheffing: EUR {_money(gross)}",
                        f"Ingehouden loonheffing:   EUR {_money(tax)}"]], title=f"Jaaropgave {employee.name} {year}")
