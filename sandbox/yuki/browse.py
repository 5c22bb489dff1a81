"""The Yuki sandbox's own view: what it holds, as a person would look it up in Yuki.

`/` lists the domains and administrations with what was booked; `/administrations/<id>/` shows the
journals (with their lines), the archive (by folder, with downloads), the petty cash statements received
and the chart of accounts, where an
account can be removed (POST `/administrations/<id>/accounts/<code>/remove`, as a person would delete it
in Yuki, to see a journal on it wait); `/files/<id>` serves a file.
"""

from __future__ import annotations

import html
import mimetypes
from datetime import date, datetime
from decimal import Decimal
from wsgiref.util import application_uri

FOLDERS = {1: "Inkoop", 2: "Verkoop", 3: "Bank", 4: "Personeel", 5: "Belasting", 7: "Uitzoeken door Yuki",
           8: "Overig financieel"}
STYLE = ("body{font:15px system-ui,sans-serif;margin:2rem auto;max-width:1000px;color:#222}"
         "table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border-bottom:1px solid #ddd;"
         "padding:.3rem .5rem;text-align:left;vertical-align:top}td.amount{text-align:right}"
         "h1 small,.muted{color:#666}.card{border:1px solid #ddd;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}")


NOT_FOUND = b"Niet gevonden in de Yuki-sandbox.\n"


def _page(title: str, body: str) -> bytes:
    return (f"<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'><link rel='icon' href='data:,'><title>{html.escape(title)}</title>"
            f"<style>{STYLE}</style></head><body><p class='muted'>Yuki-sandbox: nagebootst, niet de echte Yuki"
            f"</p>{body}</body></html>").encode()


def _e(value) -> str:
    return html.escape(str(value))


# Amounts, dates and counts as Yuki shows them to a Dutch bookkeeper, and as the portal does (its
# payrollsync/formats/nl): 1.234,56, 07-12-2026, 07-12-2026 14:05, 12.345.
def _amount(value) -> str:
    return _dutch_grouping(f"{Decimal(value):,.2f}")


def _count(value: int) -> str:
    return _dutch_grouping(f"{value:,}")


def _dutch_grouping(english: str) -> str:
    return english.replace(",", " ").replace(".", ",").replace(" ", ".")


def _date(value: date) -> str:
    return f"{value:%d-%m-%Y}"


def _moment(value: datetime) -> str:
    return f"{value:%d-%m-%Y %H:%M}"


def browse(state, environ, start_response):
    path = environ.get("PATH_INFO", "/")
    base = application_uri(environ).rstrip("/")
    parts = [p for p in path.split("/") if p]
    if not parts:
        return _ok(start_response, _overview(state, base))
    if len(parts) == 2 and parts[0] == "administrations" and parts[1] in state.administrations:
        return _ok(start_response, _administration(state, base, parts[1]))
    if len(parts) == 2 and parts[0] == "files":
        found = next((f for f in state.archive if f.id == parts[1]), None)
        if found is not None:
            content_type = mimetypes.guess_type(found.file_name)[0] or "application/octet-stream"
            start_response("200 OK", [("Content-Type", content_type),
                                      ("Content-Disposition", f'inline; filename="{found.file_name}"')])
            return [found.data]
    start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
    return [NOT_FOUND]


def remove_account(state, environ, start_response):
    """POST /administrations/<id>/accounts/<code>/remove: the account leaves the chart; back to the page."""
    parts = [p for p in environ.get("PATH_INFO", "").split("/") if p]
    base = application_uri(environ).rstrip("/")
    if (len(parts) == 5 and parts[0] == "administrations" and parts[2] == "accounts" and parts[4] == "remove"
            and parts[1] in state.administrations):
        state.remove_gl_account(parts[1], parts[3])
        start_response("303 See Other", [("Location", f"{base}/administrations/{parts[1]}/")])
        return [b""]
    start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
    return [NOT_FOUND]


def _ok(start_response, body: bytes):
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
    return [body]


def _overview(state, base: str) -> bytes:
    rows = []
    for domain in state.domains.values():
        administrations = [a for a in state.administrations.values() if a.domain_id == domain.id]
        for administration in administrations:
            journals = sum(1 for j in state.journals if j.administration_id == administration.id)
            files = sum(1 for f in state.archive if f.administration_id == administration.id)
            rows.append(f"<tr><td>{_e(domain.name)}</td><td><a href='{base}/administrations/{_e(administration.id)}/'>"
                        f"{_e(administration.name)}</a></td><td>{journals}</td><td>{files}</td>"
                        f"<td>{state.calls_on(domain.id)}</td></tr>")
    body = ("<h1>Yuki sandbox</h1><table><tr><th>Domein</th><th>Administratie</th><th>Journaalposten</th>"
            "<th>Archiefbestanden</th><th>API-calls vandaag (domein)</th></tr>" + "".join(rows) + "</table>")
    return _page("Yuki sandbox", body)


def _petty_cash(state, administration_id: str) -> str:
    """Archief > Bank > Kas: each statement received (ImportStatement, or a single line), with its lines."""
    imports = [p for p in state.petty_cash if p.administration_id == administration_id]
    if not imports:
        return "<h2>Kas</h2><p class='muted'>Geen kasafschriften.</p>"
    parts = ["<h2>Kas</h2>"]
    for imported in imports:
        lines = "".join(
            f"<tr><td>{_date(line['date'])}</td><td>{_e(line['account'])}</td><td>{_e(line['transaction_code'])}"
            f"</td><td>{_e(line['suspense_account'])} {_e(line['suspense_name'])}</td><td>{_e(line['description'])}"
            f"</td><td class='amount'>{_amount(line['amount'])}</td><td class='amount'>"
            f"{'' if line['balance'] is None else _amount(line['balance'])}</td><td>{_e(line['project_code'])} "
            f"{_e(line['project_name'])}</td></tr>" for line in imported.lines)
        parts.append(f"<div class='card petty-cash'><h3>{_e(imported.operation)}</h3><p class='muted'>{_e(imported.id)}"
                     "</p><table><tr><th>Datum</th><th>Kas</th><th>Code</th><th>Tegenrekening</th><th>Omschrijving</th>"
                     f"<th>Bedrag</th><th>Saldo</th><th>Project</th></tr>{lines}</table></div>")
    return "".join(parts)


def _administration(state, base: str, administration_id: str) -> bytes:
    administration = state.administrations[administration_id]
    parts = [f"<h1>{_e(administration.name)} <small>{_e(administration_id)}</small></h1>",
             f"<p><a href='{base}/'>← alle administraties</a></p>", "<h2>Journaalposten</h2>"]
    journals = [j for j in state.journals if j.administration_id == administration_id]
    for journal in journals:
        lines = "".join(f"<tr><td>{_date(e.entry_date)}</td><td>{_e(e.gl_account)}</td><td class='amount'>{_amount(e.amount)}</td>"
                        f"<td>{_e(e.description)}</td></tr>" for e in journal.entries)
        parts.append(f"<div class='card journal'><h3>{_e(journal.subject)}</h3><p class='muted'>{_e(journal.id)}</p>"
                     f"<table><tr><th>Datum</th><th>Grootboek</th><th>Bedrag</th><th>Omschrijving</th></tr>{lines}"
                     f"</table></div>")
    if not journals:
        parts.append("<p class='muted'>Geen journaalposten.</p>")
    parts.append("<h2>Archief</h2>")
    files = [f for f in state.archive if f.administration_id == administration_id]
    if files:
        rows = "".join(f"<tr><td><a href='{base}/files/{_e(f.id)}'>{_e(f.file_name)}</a></td>"
                       f"<td>{_e(FOLDERS.get(f.folder, f.folder))}</td><td>{_count(len(f.data))} bytes</td>"
                       f"<td>{_moment(f.created)}</td></tr>" if f.created else "" for f in files)
        parts.append(f"<table class='archive'><tr><th>Bestand</th><th>Map</th><th>Grootte</th><th>Ontvangen</th></tr>"
                     f"{rows}</table>")
    else:
        parts.append("<p class='muted'>Geen bestanden.</p>")
    parts.append(_petty_cash(state, administration_id))
    parts.append("<h2>Grootboekrekeningen</h2><table class='accounts'><tr><th>Code</th><th>Omschrijving</th>"
                 "<th></th></tr>")
    for code, description in sorted(administration.gl_accounts.items()):
        parts.append(f"<tr><td>{_e(code)}</td><td>{_e(description)}</td><td><form method='post' action='{base}/"
                     f"administrations/{_e(administration_id)}/accounts/{_e(code)}/remove'><button "
                     f"aria-label='Verwijder {_e(code)}'>Verwijderen</button></form></td></tr>")
    parts.append("</table>")
    return _page(administration.name, "".join(parts))
