"""Petty cash sent through the ledger to the Yuki sandbox over real HTTP (portal/imports/petty_cash_sending.py):
the sandbox's own record of received statements judges what was booked, and how often."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from django.urls import reverse

from portal import petty_cash
from portal.imports import petty_cash_sending
from portal.imports.petty_cash_sending import Sent
from portal.models import EntryState, EventKind, ImportRun, LedgerEntry, PortalRole, RunStatus
from portal.models.imports import RunCategory
from sandbox.yuki import data as yuki_data
from tests.people import make_user

HEADER = ";".join(petty_cash.HEADERS)
GOOD = (HEADER + "\r\n"
        "10000;Kas;KOF;4000;Koffiehuis;02-11-2026;Koffie en thee;-12,50;;;\r\n"
        "10000;Kas;VERK;;;03-11-2026;Contante verkoop;40,00;;;\r\n")


def statement():
    prepared, errors = petty_cash.read_text(GOOD)
    assert not errors
    return prepared


def test_a_statement_is_booked_once_in_the_sandbox_and_a_second_send_books_nothing(bakkerij_nmbrs, yuki):
    user = make_user("alice", PortalRole.ADMINISTRATOR)
    first = petty_cash_sending.send(bakkerij_nmbrs, statement(), user)
    assert first.outcome == Sent.BOOKED, first.message
    received = yuki.app.state.petty_cash
    assert len(received) == 1 and received[0].operation == "ImportStatement"
    assert [line["amount"] for line in received[0].lines] == [Decimal("-12.50"), Decimal("40.00")]
    entry = first.entry
    assert entry.state == EntryState.BOOKED and entry.kind == "petty_cash" and entry.yuki_reference
    run = first.run
    assert run.category == RunCategory.PETTY_CASH and run.status == RunStatus.SUCCEEDED
    assert run.yuki_calls >= 1, "counted in the Yuki call budget"
    assert entry.events.filter(kind=EventKind.BOOKED, run=run).exists()

    again = petty_cash_sending.send(bakkerij_nmbrs, statement(), user)
    assert again.outcome == Sent.ALREADY_BOOKED and again.run is None
    assert "al geboekt" in again.message
    assert len(yuki.app.state.petty_cash) == 1, "nothing booked twice"
    assert ImportRun.objects.filter(category=RunCategory.PETTY_CASH).count() == 1
    assert LedgerEntry.objects.filter(kind="petty_cash").count() == 1


def test_a_statement_yuki_refuses_fails_with_yukis_words_and_may_be_sent_again(bakkerij_nmbrs, yuki):
    user = make_user("alice", PortalRole.ADMINISTRATOR)
    prepared, errors = petty_cash.read_text(GOOD.replace("10000;Kas;", "10000;Kasboek;"))
    assert not errors, "without a chart read today, the description is Yuki's to judge"
    result = petty_cash_sending.send(bakkerij_nmbrs, prepared, user)
    assert result.outcome == Sent.NOT_BOOKED and result.entry.state == EntryState.FAILED
    assert "Kasboek" in result.entry.last_error and not yuki.app.state.petty_cash
    assert result.run.status == RunStatus.FAILED


def test_single_lines_with_and_without_a_project(bakkerij_nmbrs, yuki):
    user = make_user("alice", PortalRole.ADMINISTRATOR)
    plain = petty_cash.single_line(account="10000", transaction_date=date(2026, 11, 4), description="Postzegels",
                                   amount=Decimal("-8.40"), offset_name="PostNL")
    project = petty_cash.single_line(account="10000", transaction_date=date(2026, 11, 4), description="Taxi",
                                     amount=Decimal("-25.00"), project_code="P-17", project_name="Verbouwing")
    # The demo key reaches two administrations: a single line (no administration ID) could land in the
    # other one, so it is refused before it is sent, with the way out.
    refused = petty_cash_sending.send(bakkerij_nmbrs, plain, user)
    assert refused.outcome == Sent.NOT_BOOKED and refused.entry.state == EntryState.FAILED
    assert "meer dan deze" in refused.entry.last_error and "CSV" in refused.entry.last_error
    assert not yuki.app.state.petty_cash
    # A key that reaches this administration only: Yuki's "own administration" is certainly this one.
    bakkerij_nmbrs.yuki_administration_id = yuki_data.OTHER_ADMINISTRATION_ID
    bakkerij_nmbrs.yuki_access_key = yuki_data.OTHER_ACCESS_KEY
    bakkerij_nmbrs.save()
    plain = petty_cash.single_line(account="10000", transaction_date=date(2026, 11, 5), description="Postzegels",
                                   amount=Decimal("-8.40"), offset_name="PostNL")
    assert petty_cash_sending.send(bakkerij_nmbrs, plain, user).outcome == Sent.BOOKED
    assert petty_cash_sending.send(bakkerij_nmbrs, project, user).outcome == Sent.BOOKED
    operations = [(p.operation, p.lines[0]["project_code"]) for p in yuki.app.state.petty_cash]
    assert operations == [("ImportSingleStatementLine", ""), ("ImportSingleStatementProjectLine", "P-17")]
    assert petty_cash_sending.send(bakkerij_nmbrs, plain, user).outcome == Sent.ALREADY_BOOKED
    assert len(yuki.app.state.petty_cash) == 2


def test_the_page_refuses_row_by_row_previews_and_sends_once(bakkerij_nmbrs, yuki, client):
    client.force_login(make_user("alice", PortalRole.ADMINISTRATOR))
    url = reverse("portal:petty-cash", args=[bakkerij_nmbrs.pk])
    from django.core.files.uploadedfile import SimpleUploadedFile
    bad = GOOD.replace("-12,50", "-1.212,50")
    response = client.post(url, {"action": "check_file", "file": SimpleUploadedFile("kas.csv", bad.encode())})
    assert response.status_code == 200 and response.context["prepared"] is None
    html = response.content.decode()
    assert "Amount" in html and "geen scheidingstekens voor duizendtallen" in html
    response = client.post(url, {"action": "check_file", "file": SimpleUploadedFile("kas.csv", GOOD.encode())})
    assert response.status_code == 200
    payload = response.context["payload"]
    for _click in range(2):
        client.post(url, {"action": "send", "payload": payload})
    assert len(yuki.app.state.petty_cash) == 1
    page = client.get(url).content.decode()
    assert "Geboekt" in page
    # The hidden preview is the person's input: tampered, it is refused in words, never a 500.
    tampered = json.loads(payload) | {"account": 1}
    response = client.post(url, {"action": "send", "payload": json.dumps(tampered)})
    assert response.status_code == 200 and "kon niet worden teruggelezen" in response.content.decode()
    assert len(yuki.app.state.petty_cash) == 1


def test_a_send_whose_answer_is_lost_is_never_resent_blindly_a_person_answers(bakkerij_nmbrs, yuki, settings):
    from portal.imports import reconcile

    settings.IMPORT_RECONCILE_DELAY_SECONDS = 0
    user = make_user("alice", PortalRole.ADMINISTRATOR)
    yuki.app.faults.add("drop_after", vendor="yuki", operation="ImportStatement", times=1)
    result = petty_cash_sending.send(bakkerij_nmbrs, statement(), user)
    assert result.outcome == Sent.NOT_BOOKED and result.entry.state == EntryState.NEEDS_CHECK
    assert len(yuki.app.state.petty_cash) == 1, "Yuki booked it; the answer was lost"
    assert reconcile.reconcile(result.entry.pk) == reconcile.Resolution.FOR_A_PERSON
    entry = LedgerEntry.objects.get(pk=result.entry.pk)
    assert entry.state == EntryState.NEEDS_CHECK and entry.check_by_person
    assert "Archief > Bank > Kas" in entry.last_error
    again = petty_cash_sending.send(bakkerij_nmbrs, statement(), user)
    assert again.outcome == Sent.BUSY and "niets opnieuw verstuurd" in again.message
    assert len(yuki.app.state.petty_cash) == 1, "not sent twice"
    reconcile.answer(entry.pk, in_yuki=True, user=user)
    assert petty_cash_sending.send(bakkerij_nmbrs, statement(), user).outcome == Sent.ALREADY_BOOKED


def test_a_statement_waiting_for_the_budget_says_so_and_goes_with_a_retry(bakkerij_nmbrs, yuki, settings):
    user = make_user("alice", PortalRole.ADMINISTRATOR)
    settings.YUKI_DAILY_BUDGET = 1  # Authenticate only
    result = petty_cash_sending.send(bakkerij_nmbrs, statement(), user)
    assert result.entry.state == EntryState.WAITING_BUDGET and "budget" in result.message
    assert not yuki.app.state.petty_cash
    settings.YUKI_DAILY_BUDGET = 800
    assert petty_cash_sending.send(bakkerij_nmbrs, statement(), user).outcome == Sent.BOOKED
    assert len(yuki.app.state.petty_cash) == 1


def test_lines_booked_in_an_earlier_statement_are_not_sent_twice_without_a_person_saying_so(bakkerij_nmbrs, yuki):
    """Yuki does not check for doubles: a corrected file, or one that repeats last month's rows, names the
    lines already booked and sends nothing until the person confirms."""
    user = make_user("alice", PortalRole.ADMINISTRATOR)
    first, _errors = petty_cash.read_text(GOOD)
    assert petty_cash_sending.send(bakkerij_nmbrs, first, user).outcome == Sent.BOOKED
    repeated, _errors = petty_cash.read_text(GOOD + "10000;Kas;;4500;;04-11-2026;Parkeren;-7,20;;;\r\n")
    held = petty_cash_sending.send(bakkerij_nmbrs, repeated, user)
    assert held.outcome == Sent.OVERLAP and held.entry is None
    assert [line["description"] for line in held.overlap] == ["Koffie en thee", "Contante verkoop"]
    assert "2 regels van dit kasafschrift staan al" in held.message
    assert len(yuki.app.state.petty_cash) == 1, "nothing sent"
    confirmed = petty_cash_sending.send(bakkerij_nmbrs, repeated, user, overlap_confirmed=True)
    assert confirmed.outcome == Sent.BOOKED and len(yuki.app.state.petty_cash) == 2
    assert petty_cash_sending.send(bakkerij_nmbrs, first, user).outcome == Sent.ALREADY_BOOKED, \
        "the same statement again: already booked, not an overlap"


def test_a_tampered_single_line_preview_passes_the_line_forms_rules_again(bakkerij_nmbrs, yuki, client):
    """The hidden preview is the person's input: a line of 0,00 or a project code longer than the form takes
    is refused as the form refuses it, and nothing reaches the ledger or Yuki."""
    client.force_login(make_user("alice", PortalRole.ADMINISTRATOR))
    url = reverse("portal:petty-cash", args=[bakkerij_nmbrs.pk])
    line = {"action": "check_line", "account": "10000", "transaction_date": "2026-11-04", "description": "Taxi",
            "amount": "-25,00", "project_code": "P-17"}
    payload = json.loads(client.post(url, line).context["payload"])
    for tampered in ({"lines": [payload["lines"][0] | {"amount": "0.00"}]}, {"project_code": "P" * 101}):
        response = client.post(url, {"action": "send", "payload": json.dumps(payload | tampered)})
        assert response.status_code == 200 and "kon niet worden teruggelezen" in response.content.decode()
    assert not LedgerEntry.objects.filter(kind="petty_cash").exists() and not yuki.app.state.petty_cash
