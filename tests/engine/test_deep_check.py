"""check_connections --deep against the sandboxes over real HTTP: every read call of the import, each
answer compared with the expected shapes; nothing booked, nothing written at the source."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from portal.models import ImportRun, LedgerEntry
from sandbox.loket import data as loket_data
from tests.engine.outcome import booked_in_yuki

TODAY = timezone.localdate()
KORENSCHOOF_ID = next(a.id for a in loket_data.ADMINISTRATIONS if a.key == "korenschoof")


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


def deep(*args) -> str:
    out = StringIO()
    call_command("check_connections", "--deep", *args, stdout=out, no_color=True)
    return out.getvalue()


def test_loket_deep_check_reads_everything_and_books_nothing(korenschoof, yuki, loket, tmp_path):
    requests_before = len(loket.app.state.requests)
    out = deep("--administration", korenschoof.name, "--sample", str(tmp_path))
    assert f"Diepe controle van {korenschoof.domain.name} / {korenschoof.name} (Loket.nl)" in out
    assert "Elk antwoord heeft de vorm die de code verwacht." in out, out
    assert "Loonaangifte " in out and "status 'Goedgekeurd' is nog niet definitief" in out
    asked = loket.app.state.requests[requests_before:]
    assert {r["method"] for r in asked} == {"GET"}, "only reads at Loket"
    for resource in ("/payrollperiods", "/employments", "/payslips/summary/metadata", "/journalruns",
                     "/results", "/payrolltaxreturns"):
        assert any(r["path"].endswith(resource) for r in asked), f"{resource}: a read call of the import"
    assert not LedgerEntry.objects.exists() and not ImportRun.objects.exists() and booked_in_yuki(yuki) == []
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files and all(name.startswith("loket-") and name.endswith(".json") for name in files)
    text = "\n".join(p.read_text() for p in tmp_path.iterdir())
    employee = loket_data.ADMINISTRATIONS[0].employees[0]
    assert employee.last_name not in text


def test_nmbrs_deep_check_names_an_unknown_status_and_writes_redacted_answers(bakkerij_nmbrs, yuki, nmbrs,
                                                                              tmp_path):
    nmbrs.app.state.set_wage_tax_status(50001, TODAY.year, TODAY.month, "Klaar voor verzending")
    out = deep("--administration", str(bakkerij_nmbrs.pk), "--sample", str(tmp_path))
    assert "Loonaangifte" in out and "'Klaar voor verzending' kent het portaal niet" in out
    assert "Een loonaangiftestatus die de code niet kent: 'Klaar voor verzending'" in out
    operations = {call.operation for call in nmbrs.app.state.calls}
    assert operations and all("Get" in name or "List" in name or "Download" in name or "Journal" in name
                              for name in operations), operations
    assert not LedgerEntry.objects.exists() and booked_in_yuki(yuki) == []
    written = list(tmp_path.iterdir())
    assert any(p.suffix == ".xml" for p in written) and any(p.suffix == ".json" for p in written)
    text = "\n".join(p.read_text(errors="replace") for p in written)
    assert "Bakkerij Jansen" not in text


def test_loket_deep_check_names_an_unknown_status_and_a_field_it_does_not_read(korenschoof, yuki,
                                                                                loket):
    loket.app.state.set_tax_return_status(KORENSCHOOF_ID, TODAY.year, TODAY.month, 9, "Ingetrokken")
    out = deep("--administration", str(korenschoof.pk), "--period", f"{TODAY.year}-{TODAY.month:02d}")
    assert "nakijken loonaangiften: Loonaangifte" in out and "'Ingetrokken' kent het portaal niet" in out
    assert "0 fouten, 1 punt om na te kijken. Er is niets geboekt." in out


def test_the_dutch_report_names_each_call_in_words_and_counts_without_a_wrong_plural(korenschoof, yuki, loket):
    """A person reads the report: which call, in words (not /providers/employers/...), and counts that
    need no plural of their own (it said "1 journaalposten voor 2026-12 leesbaar")."""
    out = deep("--administration", korenschoof.name)
    assert "/providers/" not in out and "{" not in out, out
    assert "salarisadministraties: Salarisadministratie gevonden" in out, out
    assert f"journaalposten: Voor {TODAY.year}-{TODAY.month:02d}: 1 leesbaar, 0 wachtend bij de bron." in out, out
    assert "salarisstrook (bestand): Bestand leesbaar: application/pdf, 1." in out, "sizes as 1.489 bytes: " + out
    assert "1 journaalposten" not in out and "1 salarisstroken" not in out


def test_the_nmbrs_report_names_no_operation(bakkerij_nmbrs, yuki, nmbrs):
    nmbrs.app.state.set_wage_tax_status(50001, TODAY.year, TODAY.month, "Klaar voor verzending")
    out = deep("--administration", str(bakkerij_nmbrs.pk))
    assert "_Get" not in out and "_v2" not in out, out
    assert "loonaangiften: Een loonaangiftestatus die de code niet kent: 'Klaar voor verzending'" in out, out


def test_redacted_answers_keep_the_shape_and_lose_the_person():
    from connectors.shapes import redact, redact_xml

    answer = {"_embedded": [{"id": "6c0e", "employee": {"formattedName": "Sanne de Vries", "bsn": "123456782"},
                             "iban": "NL91ABNA0417164300", "debetAmount": 2450.5, "period": {"year": 2026},
                             "payrollTaxReturnStatus": {"key": 2, "value": "Goedgekeurd"}}], "totalPages": 3}
    redacted = redact(answer)
    item = redacted["_embedded"][0]
    assert item["employee"] == {"formattedName": "REDACTED", "bsn": "REDACTED"} and item["iban"] == "REDACTED"
    assert item["debetAmount"] == 123.45 and item["id"] == "6c0e" and item["period"] == {"year": 2026}
    assert item["payrollTaxReturnStatus"] == {"key": 2, "value": "Goedgekeurd"} and redacted["totalPages"] == 3
    xml = redact_xml(b"<Doc><Nm>Bakkerij Jansen</Nm><Debit>12,50</Debit><Note>BSN 123456782</Note></Doc>")
    assert b"Jansen" not in xml and b"123456782" not in xml and b"<Debit>123.45</Debit>" in xml


def test_deep_check_refuses_an_unknown_administration_or_period_in_dutch(bakkerij_nmbrs):
    with pytest.raises(CommandError, match="Geen administratie met id of naam 'Onbekend'"):
        deep("--administration", "Onbekend")
    with pytest.raises(CommandError, match="Een periode schrijf je als JJJJ-MM"):
        deep("--administration", str(bakkerij_nmbrs.pk), "--period", "11-2026")
    with pytest.raises(CommandError, match="--deep heeft --administration"):
        deep()


def test_the_button_is_for_portal_administrators_only(bakkerij_nmbrs, nmbrs, client):
    from django.urls import reverse

    from portal.models import PortalRole
    from tests.people import make_user

    url = reverse("portal:deep-check", args=[bakkerij_nmbrs.pk])
    page = reverse("portal:administration", args=[bakkerij_nmbrs.pk])
    client.force_login(make_user("bob", PortalRole.BACKOFFICE))
    assert 'data-testid="deep-check"' not in client.get(page).content.decode()
    assert client.post(url).status_code == 403
    client.force_login(make_user("carol", domains=[bakkerij_nmbrs.domain]))
    assert client.post(url).status_code == 403
    client.force_login(make_user("alice", PortalRole.ADMINISTRATOR))
    assert 'data-testid="deep-check"' in client.get(page).content.decode()
    assert client.get(url).status_code == 405, "calls the vendor: only on a POST"
    wrong = client.post(url, {"period": "2026-13"})
    assert wrong.status_code == 400 and "Een periode schrijf je als JJJJ-MM" in wrong.content.decode(), wrong.content.decode()[-2500:]
    answer = client.post(url, {"period": ""}).content.decode()
    assert "Diepe controle" in answer and "Er is niets geboekt" in answer
    assert not LedgerEntry.objects.exists()


def test_loket_deep_check_reports_an_id_that_does_not_resolve_and_goes_on(korenschoof, yuki, loket):
    body = json.dumps({"version": {}, "messages": [{"code": 404, "type": "NotFound",
                                                    "description": "No such journal run"}]})
    loket.app.faults.add("http_error", vendor="loket", operation="GET */journalruns/*/results", status=404,
                         body=body, headers={"Content-Type": "application/json"}, times=0)
    out = deep("--administration", str(korenschoof.pk))
    assert "fout" in out and "Een id verwijst nergens naar" in out, out
    assert "salarisstroken: Voor" in out and "loonaangiften: Voor" in out, "the other kinds are still checked"
    assert "resultaten van een journaalrun: Een id verwijst nergens naar" in out, "the call in words, not its path"
    assert "1 fout, 0 punten om na te kijken" in out, "plurals as Dutch says them"


def test_each_deep_check_click_is_in_the_audit_log(bakkerij_nmbrs, nmbrs, client):
    """It reads an administration's payroll data at the source: who did, when, for which period."""
    from django.urls import reverse

    from portal.models import AuditLogEntry, PortalRole
    from portal.models.audit import AuditAction
    from tests.people import make_user

    url = reverse("portal:deep-check", args=[bakkerij_nmbrs.pk])
    client.force_login(make_user("alice", PortalRole.ADMINISTRATOR))
    assert client.post(url, {"period": "2026-13"}).status_code == 400
    assert not AuditLogEntry.objects.exists(), "nothing was read: nothing to log"
    client.post(url, {"period": "2026-10"})
    client.post(url, {"period": "2026-11"})
    entries = list(AuditLogEntry.objects.filter(action=AuditAction.CHECKED).order_by("pk"))
    assert [(e.username, e.object_repr, e.object_id, e.changes["Period"]["new"]) for e in entries] == [
        ("alice", bakkerij_nmbrs.name, str(bakkerij_nmbrs.pk), "2026-10"),
        ("alice", bakkerij_nmbrs.name, str(bakkerij_nmbrs.pk), "2026-11")]
    assert isinstance(entries[0].changes["Errors"]["new"], int)
    log = client.get(reverse("portal:audit")).content.decode()
    assert "diepe controle uitgevoerd" in log and "Periode" in log and "2026-11" in log
