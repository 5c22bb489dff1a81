"""Imports through Nmbrs' REST API into the Yuki sandbox, end to end through the engine (eager Celery), and
the move from SOAP: what SOAP booked is not booked again."""

from __future__ import annotations

from decimal import Decimal

import pytest

from connectors.documents import DocumentKind
from integrations.nmbrs_rest import moving
from integrations.nmbrs_rest.models import NmbrsRestLink
from integrations.nmbrs_rest.tests.fixtures import OCTOBER, import_now, jansen_administration, link_rest
from portal.models import EntryState, LedgerEntry, RunStatus
from portal.models.connections import ConnectionStatus
from sandbox.nmbrs import data as soap_data
from sandbox.nmbrs_rest import data as rest_data
from tests.engine.outcome import booked_in_yuki
from tests.vendor_state import NmbrsCredentials, nmbrs_options

BAKKERIJ_ID = 50001  # company number 101 in both APIs


@pytest.fixture
def rest_administration(transactional_db, yuki, eager_celery, one_world, portal_rest_connection):
    administration = jansen_administration("nmbrs_rest")
    link_rest(administration, portal_rest_connection, company_id=rest_data.company_uid(BAKKERIJ_ID),
              company_number="101", company_name="Bakkerij Jansen B.V.")
    return administration


@pytest.fixture
def soap_administration(transactional_db, yuki, eager_celery, one_world):
    return jansen_administration("nmbrs", nmbrs_company_id=BAKKERIJ_ID, nmbrs_company_number="101",
                                 nmbrs_company_name="Bakkerij Jansen B.V.",
                                 own_nmbrs_credentials=NmbrsCredentials.objects.create(
                                     login_email=soap_data.DEMO_USERNAME, api_token=soap_data.DEMO_TOKEN,
                                     tenant_key=soap_data.DEMO_DOMAIN, status=ConnectionStatus.AUTHORISED))


def test_a_rest_import_books_payslips_journal_sepa_and_wage_tax_return_once(rest_administration, yuki, rest_app):
    run = import_now(rest_administration)
    assert run.status == RunStatus.SUCCEEDED, run.result
    entries = LedgerEntry.objects.filter(administration=rest_administration)
    assert set(entries.values_list("state", flat=True)) == {EntryState.BOOKED}
    assert set(entries.values_list("kind", flat=True)) == {"payslip", "journal", "sepa", "wage_tax_return"}
    assert set(entries.values_list("source", flat=True)) == {"nmbrs_rest"}
    assert entries.filter(kind="payslip").count() == 3, "one PDF per employee (Bakkerij Jansen has three)"
    assert run.booked == entries.count() == len(booked_in_yuki(yuki))
    journal = yuki.app.state.journals[-1]
    assert sum(Decimal(str(e.amount)) for e in journal.entries) == 0, "booked balanced"
    assert all(e.metadata["identity_key"].startswith("nmbrs:101:2026-10") for e in entries)
    polled = [r for r in rest_app.state.requests if r["path"].startswith("/api/documents/")]
    assert len(polled) > entries.count(), "each task answered 202 first and was polled again"

    again = import_now(rest_administration)
    assert again.booked == 0 and again.unchanged == again.fetched == entries.count()


@pytest.mark.parametrize("rows", ["with identity", "recorded before identities"])
def test_moving_from_soap_books_nothing_twice(rows, soap_administration, yuki, portal_rest_connection):
    soap_run = import_now(soap_administration)
    assert soap_run.status == RunStatus.SUCCEEDED, soap_run.result
    soap_rows = LedgerEntry.objects.filter(administration=soap_administration, source="nmbrs")
    assert soap_rows.filter(state=EntryState.BOOKED).count() == soap_rows.count() > 0
    assert all(row.metadata.get("identity_key", "").startswith("nmbrs:101:2026-10") for row in soap_rows)
    if rows == "recorded before identities":  # as rows booked before this change: derived at import time
        for row in soap_rows:
            row.metadata = {k: v for k, v in row.metadata.items() if k not in ("identity", "identity_key",
                                                                               "serial_number")}
            row.save(update_fields=["metadata"])
    booked_before = booked_in_yuki(yuki)

    link_rest(soap_administration, portal_rest_connection)  # the firm connected its own REST user first
    assert moving.move(None, soap_administration) == ""
    soap_administration.refresh_from_db()
    assert soap_administration.source == "nmbrs_rest"
    link = NmbrsRestLink.objects.get(administration=soap_administration)
    assert (link.company_id, link.company_number) == (rest_data.company_uid(BAKKERIJ_ID), "101")

    run = import_now(soap_administration)
    assert run.status == RunStatus.SUCCEEDED, run.result
    assert run.booked == 0 and run.fetched == run.unchanged > 0
    assert booked_in_yuki(yuki) == booked_before, "nothing sent to Yuki"
    rest_rows = LedgerEntry.objects.filter(administration=soap_administration, source="nmbrs_rest")
    assert set(rest_rows.values_list("state", flat=True)) == {EntryState.BOOKED}
    assert rest_rows.filter(kind="payslip").count() == 3, "each REST payslip covered by SOAP's run PDF"
    assert all(row.metadata["booked_through"]["source"] == "nmbrs" for row in rest_rows)
    assert soap_rows.count() == LedgerEntry.objects.filter(source="nmbrs").count(), "the SOAP history stays"
    assert import_now(soap_administration).booked == 0


def test_a_soap_row_left_waiting_at_the_source_is_settled_once_rest_books_the_document(
        soap_administration, yuki, portal_rest_connection, users):
    """After a move, SOAP's October wage tax return still waits at the source (its status was not final): REST
    books the return, and the SOAP row is settled as booked through REST; no list shows it waiting."""
    from django.test import Client
    from django.urls import reverse

    waiting = LedgerEntry.objects.create(
        administration=soap_administration, source="nmbrs", kind="wage_tax_return", period=OCTOBER.key,
        source_id="nmbrs:company:50001:wagetax:2026-10", title="Loonaangifte 2026-10", content_hash="",
        state=EntryState.WAITING_AT_SOURCE, wait_reason="not_final", source_status="Aangemaakt",
        metadata={"company_id": 50001})  # as SOAP rows were recorded before identities: any return of October
    link_rest(soap_administration, portal_rest_connection)
    assert moving.move(None, soap_administration) == ""
    soap_administration.refresh_from_db()

    run = import_now(soap_administration)
    assert run.status == RunStatus.SUCCEEDED, run.result
    rest_return = LedgerEntry.objects.get(administration=soap_administration, source="nmbrs_rest",
                                          kind="wage_tax_return")
    assert rest_return.state == EntryState.BOOKED and rest_return.metadata["supersedes"]["entry"] == waiting.pk
    waiting.refresh_from_db()
    assert (waiting.state, waiting.yuki_reference) == (EntryState.BOOKED, rest_return.yuki_reference)
    assert waiting.metadata["booked_through"] == {"source": "nmbrs_rest", "entry": rest_return.pk,
                                                  "source_id": rest_return.source_id}
    assert "Geboekt via de REST API van Nmbrs" in waiting.events.latest("pk").message
    assert not LedgerEntry.objects.filter(state=EntryState.WAITING_AT_SOURCE).exists()

    client = Client()
    client.force_login(users["alice"])  # the completeness page lists each document and whether it waits
    page = client.get(reverse("portal:completeness", args=[soap_administration.pk]) + "?month=2026-10",
                      HTTP_ACCEPT_LANGUAGE="nl")
    assert page.status_code == 200 and "Loonaangifte 2026-10" in page.content.decode()
    assert "Door de bron getoond, nog niet definitief" not in page.content.decode()


def test_with_the_number_must_match_an_import_links_the_company_by_number(rest_administration, yuki):
    NmbrsRestLink.objects.filter(administration=rest_administration).update(company_id="", company_number="",
                                                                           company_name="")
    rest_administration._state.fields_cache.pop("nmbrs_rest_link", None)
    nmbrs_options(rest_administration.own_import_settings, wage_tax_return_status="any", number_must_match=True)
    run = import_now(rest_administration, {DocumentKind.JOURNAL: (OCTOBER,)})
    assert run.status == RunStatus.SUCCEEDED and run.booked == 1, run.result
    link = NmbrsRestLink.objects.get(administration=rest_administration)
    assert (link.company_id, link.company_number) == (rest_data.company_uid(BAKKERIJ_ID), "101")
