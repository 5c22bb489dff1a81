"""The registry is the only way in: a third, test-only payroll source (tests/engine/third_source/: a
folder) is added with one registry entry and imports its documents end to end into the Yuki sandbox,
scheduled and by hand, and the screens show it, without an edit anywhere else."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from portal import tasks
from portal.models import (
    Administration,
    Domain,
    ImportRun,
    ImportSettings,
    LedgerEntry,
    PortalRole,
    RunStatus,
    RunTrigger,
)
from portal.scheduling import due_imports
from portal.sources import registry
from sandbox.yuki import data as yuki_data
from tests.engine.outcome import booked_in_yuki
from tests.engine.third_source import vendor
from tests.engine.third_source.models import PaperclipLink, link_of
from tests.people import make_user


@pytest.fixture
def paperclip(transactional_db, yuki, eager_celery):
    registry.register("paperclip", "tests.engine.third_source.source.PaperclipPayrollSource")
    vendor.OFFICE.open, vendor.OFFICE.calls, vendor.OFFICE.desks = True, [], {}
    domain = Domain.objects.create(name="Paperclip Groep", yuki_domain_id=yuki_data.DEMO_DOMAIN_ID,
                                   payroll_link_active=True)
    administration = Administration(
        domain=domain, name="Kantoor Paperclip B.V.", yuki_administration_id=yuki_data.DEMO_ADMINISTRATION_ID,
        yuki_access_key=yuki_data.DEMO_ACCESS_KEY, source="paperclip",
        use_portal_import_settings=False, own_import_settings=ImportSettings.objects.create(auto_import=True))
    link_of(administration).employer_code = "PC-7"  # its own model (third_source/models.py), no portal column
    administration.full_clean()  # the registry's choices accept the new key; its own rule is asked
    administration.save()
    PaperclipLink.objects.create(administration=administration, employer_code="PC-7")
    yield administration
    registry.unregister("paperclip")


def test_the_registry_alone_brings_a_third_source_to_yuki(paperclip, yuki):
    noon = datetime(2026, 11, 30, 12, 5, tzinfo=UTC)
    (due,) = [item for item in due_imports(noon) if item.administration.pk == paperclip.pk]
    assert due.slot == "paperclip:2026-11-30" and not due.skip_reason
    assert set(due.plan) == {"payslip", "journal"}, "only the kinds this source offers, as the settings select"

    # The beat entry at that moment, not at the real time: on a day the window holds (the last of the
    # month) the real clock made this run and booked the documents before the manual run below.
    with time_machine.travel(noon):
        assert tasks.enqueue_due_imports() == 1
    run = ImportRun.objects.get(administration=paperclip)  # eager Celery: fetched and pushed right there
    assert (run.trigger, run.slot) == (RunTrigger.SCHEDULED, "paperclip:2026-11-30")

    assert run.status == RunStatus.SUCCEEDED, run.result
    assert run.fetched == run.booked == 3
    assert ("payslips", "PC-7") in vendor.OFFICE.calls and ("journal", "PC-7") in vendor.OFFICE.calls
    booked = booked_in_yuki(yuki)
    assert len(booked) == 3 and any("Loonjournaal 2026-11" in name for name in booked)
    assert set(LedgerEntry.objects.filter(administration=paperclip).values_list("source", flat=True)) == {"paperclip"}

    again = ImportRun.objects.create(administration=paperclip, source="paperclip", trigger="manual",
                                     plan={"payslip": [[2026, 11]], "journal": [[2026, 11]]})
    tasks.enqueue(again)
    again.refresh_from_db()
    assert (again.booked, again.unchanged) == (0, 3) and len(booked_in_yuki(yuki)) == 3, "nothing twice"


def test_a_source_that_cannot_deliver_fails_the_run_in_its_own_words(paperclip, yuki):
    vendor.OFFICE.open = False
    run = ImportRun.objects.create(administration=paperclip, source="paperclip", trigger="manual",
                                   plan={"payslip": [[2026, 11]]})
    tasks.enqueue(run)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "Paperclip is closed today." in run.result
    assert booked_in_yuki(yuki) == []


def test_the_screens_show_the_third_source(paperclip, client):
    client.force_login(make_user("alice", PortalRole.ADMINISTRATOR))
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    assert "Paperclip open" in dashboard and "Paperclip Payroll" in dashboard
    detail = client.get(reverse("portal:administration", args=[paperclip.pk])).content.decode()
    assert "Paperclip Payroll" in detail
    main = detail.split("<main", 1)[1]
    assert "Nmbrs" not in main and "Loket" not in main, "no other vendor's card or fields"
    assert client.get(reverse("portal:runs"), {"source": "paperclip"}).status_code == 200


def form_data(administration, **changes):
    return {"name": administration.name, "yuki_administration_id": administration.yuki_administration_id,
            "yuki_access_key": "", "source": "paperclip", "paperclip_employer_code": " PC-8 ",
            "use_portal_import_settings": "on", **changes}


def test_the_third_source_adds_its_own_card_to_the_administration_form(paperclip, client):
    client.force_login(make_user("alice", PortalRole.ADMINISTRATOR))
    edit = reverse("portal:administration-edit", args=[paperclip.pk])
    page = client.get(edit).content.decode()
    card = page.split('data-testid="paperclip-desk"', 1)[1].split(">", 1)[0]
    assert "hidden" not in card, "its card shows while it is the chosen source"
    assert 'data-sources="paperclip"' in page, "its employer code field, from its own model, is shown for it"
    assert 'data-testid="own-nmbrs"' in page and page.split('data-testid="own-nmbrs"', 1)[1].split(">", 1)[0].endswith(
        " hidden"), "another source's card is hidden"

    refused = client.post(edit, form_data(paperclip, **{"paperclip-desk": "12"}))
    assert refused.status_code == 200 and "A desk is written D-&lt;number&gt;" in refused.content.decode()
    assert vendor.OFFICE.desks == {}, "nothing is saved while its card is wrong"

    saved = client.post(edit, form_data(paperclip, **{"paperclip-desk": " d-12 "}))
    assert saved.status_code == 302, saved.context and (saved.context["form"].errors, saved.context["paperclip_form"].errors)
    paperclip.refresh_from_db()
    assert vendor.OFFICE.desks == {paperclip.name: "D-12"}
    assert PaperclipLink.objects.get(administration=paperclip).employer_code == "PC-8", "saved in its own model"
    assert paperclip.relation_code == "", "the portal's own field is not its"
    assert 'value="D-12"' in client.get(edit).content.decode(), "read back"

    # Chosen another source, its card does not count: neither validated nor saved.
    nmbrs = client.post(edit, form_data(paperclip, source="nmbrs", relation_code="101",
                                        use_portal_nmbrs_credentials="on", **{"paperclip-desk": "wrong"}))
    assert nmbrs.status_code == 302
    paperclip.refresh_from_db()
    assert paperclip.source == "nmbrs" and vendor.OFFICE.desks == {paperclip.name: "D-12"}
