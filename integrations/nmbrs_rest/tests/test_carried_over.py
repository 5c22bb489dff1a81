"""What a move from SOAP does with each REST document, by the state of the SOAP row that covers it
(integrations/nmbrs_rest/carried_over.py), and the portal-wide "move all"."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from connectors.documents import Period
from connectors.nmbrs_rest import mapping
from connectors.nmbrs_rest.records import Company, EmployeeInRun
from integrations.nmbrs_rest.carried_over import separate
from integrations.nmbrs_rest.models import NmbrsRestLink
from portal.models import Administration, EntryState, LedgerEntry
from sandbox.nmbrs_rest import data
from tests.vendor_state import make_administration

OCTOBER = Period.month(2026, 10)
COMPANY = Company("7d3c0f0e-0000-4000-8000-000000000101", "0101", "Bakkerij Jansen B.V.", "debtor")
PDF = b"%PDF-1.4 payslip of employee 1"


def rest_payslip(employee_number: int = 1):
    employee = EmployeeInRun(f"7d3c0f0e-0000-4000-8000-00000000000{employee_number}", employee_number)
    return mapping.payslip_document(COMPANY, OCTOBER, employee, PDF + bytes([employee_number]))


def soap_row(administration, state: str, **metadata) -> LedgerEntry:
    """A SOAP run payslip PDF of October, run 1, as rows were recorded before identities were stored."""
    return LedgerEntry.objects.create(
        administration=administration, source="nmbrs", kind="payslip", period=OCTOBER.key,
        source_id="nmbrs:company:50001:run:900:payslip", title="Loonstroken 2026-10 (run 1)", content_hash="h",
        state=state, yuki_reference="yuki-42", metadata={"company_id": 50001, "run_number": 1, **metadata})


@pytest.fixture
def moved(acme):
    return make_administration(domain=acme, name="Bakkerij Jansen B.V.", yuki_administration_id="adm",
                               yuki_access_key="k", source="nmbrs_rest", relation_code="101")


def test_a_document_soap_booked_is_recorded_booked_with_soaps_reference(moved):
    soap_row(moved, EntryState.BOOKED)
    kept, held = separate(moved, [rest_payslip(1), rest_payslip(2)], "101")
    assert len(kept) == 2 and held == []
    rows = LedgerEntry.objects.filter(source="nmbrs_rest")
    assert set(rows.values_list("state", "yuki_reference")) == {(EntryState.BOOKED, "yuki-42")}
    assert rows.count() == 2, "the run's PDF covers each employee's payslip"
    assert rows.first().events.get().message.startswith("Eerder geboekt via Nmbrs SOAP")


def test_a_soap_row_still_being_booked_holds_the_rest_document_back(moved):
    soap_row(moved, EntryState.FAILED)
    kept, held = separate(moved, [rest_payslip()], "101")
    assert kept == [] and not LedgerEntry.objects.filter(source="nmbrs_rest").exists()
    assert held == ["Loonstrook 2026-10 werknemer 1: hetzelfde document uit Nmbrs SOAP (Loonstroken 2026-10 (run 1)) "
                    "wordt nog geboekt; het wordt opgepakt zodra dat is afgerond."]


def test_a_soap_row_waiting_at_the_source_lets_rest_book_it(moved):
    soap_row(moved, EntryState.WAITING_AT_SOURCE)
    kept, held = separate(moved, [rest_payslip()], "101")
    assert len(kept) == 1 and held == [] and not LedgerEntry.objects.filter(source="nmbrs_rest").exists()


def test_a_rest_row_booked_earlier_settles_the_waiting_soap_row_at_the_next_import(moved):
    """A REST row booked without a push (found in Yuki by a check) from before `supersedes` was stored: the
    next import settles the SOAP row it covers."""
    waiting = soap_row(moved, EntryState.WAITING_AT_SOURCE)
    document = rest_payslip()
    LedgerEntry.objects.create(administration=moved, source="nmbrs_rest", kind="payslip", period=OCTOBER.key,
                               source_id=document.source_id, title=document.title, content_hash="r",
                               state=EntryState.BOOKED, yuki_reference="yuki-rest-7")
    kept, _held = separate(moved, [document], "101")
    assert kept == [document] and document.metadata["supersedes"] == {"source": "nmbrs", "entry": waiting.pk}
    waiting.refresh_from_db()
    assert (waiting.state, waiting.yuki_reference, waiting.wait_reason) == (EntryState.BOOKED, "yuki-rest-7", "")
    assert waiting.events.get().message.startswith("Geboekt via de REST API van Nmbrs als Loonstrook 2026-10")
    assert not LedgerEntry.objects.filter(state=EntryState.WAITING_AT_SOURCE).exists()


def test_another_company_or_period_is_not_covered(moved):
    soap_row(moved, EntryState.BOOKED)
    kept, _ = separate(moved, [rest_payslip()], "102")  # the administration's company number decides
    assert len(kept) == 1 and not LedgerEntry.objects.filter(source="nmbrs_rest").exists()


def test_move_all_moves_who_can_and_names_who_cannot(users, acme, rest_server, portal_rest_connection):
    linked = make_administration(domain=acme, name="Bakkerij Jansen B.V.", yuki_administration_id="a1",
                                 yuki_access_key="k", source="nmbrs", nmbrs_company_id=50001,
                                 nmbrs_company_number="101", use_portal_nmbrs_credentials=True)
    unlinked = make_administration(domain=acme, name="Zonder Bedrijf B.V.", yuki_administration_id="a2",
                                   yuki_access_key="k", source="nmbrs")
    web = Client()
    web.force_login(users["alice"])
    page = web.get(reverse("portal:settings"))
    assert "2 administraties importeren nog via Nmbrs SOAP." in page.content.decode()
    answer = web.post(reverse("nmbrs_rest:move-all"))
    assert [str(m) for m in get_messages(answer.wsgi_request)] == [
        "Overgezet naar de REST API van Nmbrs: Bakkerij Jansen B.V.",
        "Niet overgezet: Zonder Bedrijf B.V.: Zonder Bedrijf B.V. is niet gekoppeld aan een Nmbrs-bedrijf met een "
        "nummer: koppel het eerst op de Nmbrs-bedrijfspagina."]
    assert Administration.objects.get(pk=linked.pk).source == "nmbrs_rest"
    assert Administration.objects.get(pk=unlinked.pk).source == "nmbrs"
    link = NmbrsRestLink.objects.get(administration=linked)
    assert (link.company_id, link.company_number, link.use_portal_access) == (data.company_uid(50001), "101", True)
