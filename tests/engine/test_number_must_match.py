"""docs/vendors/nmbrs.md, "Linking administrations to companies": with "the company number must match" on, the company is linked by number, automatically."""

from datetime import datetime
from zoneinfo import ZoneInfo

from portal.effective import effective_settings
from portal.models import AuditLogEntry, RunStatus
from portal.scheduling import due_import
from tests.engine.outcome import booked_in_yuki
from tests.engine.test_engine_nmbrs import import_now
from tests.vendor_state import nmbrs_options


def unlinked(administration, relatiecode):
    administration.nmbrs_link.company_id, administration.nmbrs_link.company_number = None, ""
    administration.relation_code = relatiecode
    administration.save()
    administration.nmbrs_link.save()
    nmbrs_options(administration.own_import_settings, number_must_match=True)
    return administration


def test_the_company_with_the_relatiecode_is_linked_and_imported(bakkerij_nmbrs, yuki):
    administration = unlinked(bakkerij_nmbrs, "101")  # Bakkerij Jansen B.V. is company number 101
    run = import_now(administration)
    administration.refresh_from_db()
    assert (administration.nmbrs_link.company_id, administration.nmbrs_link.company_name) == (50001, "Bakkerij Jansen B.V.")
    assert run.status == RunStatus.SUCCEEDED and booked_in_yuki(yuki)
    assert AuditLogEntry.objects.filter(object_id=str(administration.pk), username="system").exists()


def test_a_relatiecode_without_a_company_is_reported_and_nothing_is_imported(bakkerij_nmbrs, yuki):
    administration = unlinked(bakkerij_nmbrs, "999")
    run = import_now(administration)
    assert run.status == RunStatus.FAILED
    assert "999" in run.result and "Relatiecode" in run.result
    assert booked_in_yuki(yuki) == []


def test_the_schedule_does_not_skip_an_unlinked_administration_that_links_by_number(bakkerij_nmbrs):
    administration = unlinked(bakkerij_nmbrs, "101")
    administration.refresh_from_db()
    item = due_import(effective_settings(administration), datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam")))
    assert item and not item.skip_reason


def test_an_import_never_changes_a_link_and_says_why_it_stopped(bakkerij_nmbrs, yuki):
    """Linked by hand to company 102 while the Relatiecode says 101: the import does not re-link to 101."""
    administration = unlinked(bakkerij_nmbrs, "101")
    administration.nmbrs_link.company_id, administration.nmbrs_link.company_number = 50002, "102"
    administration.nmbrs_link.company_name = "Jansen Vastgoed B.V."
    administration.save()
    administration.nmbrs_link.save()
    audited = AuditLogEntry.objects.count()
    run = import_now(administration)
    administration.refresh_from_db()
    assert administration.nmbrs_link.company_id == 50002, "the link a person made stays"
    assert AuditLogEntry.objects.count() == audited
    assert run.status == RunStatus.FAILED
    assert "Jansen Vastgoed B.V." in run.result and "Bakkerij Jansen B.V." in run.result and "101" in run.result
    assert booked_in_yuki(yuki) == []
