"""The scheduling rules: month ends, window edges, DST changes, a missed night, Nmbrs hours."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from connectors.documents import DocumentKind, Period
from integrations.loket.models import LoketConnection, portal_connection, set_portal_connection
from integrations.nmbrs.models import NmbrsCredentials
from portal.effective import effective_settings
from portal.models import ImportSettings, PortalSettings
from portal.models.connections import ConnectionStatus
from portal.scheduling import due_import, due_imports
from tests.vendor_state import make_administration

AMS = ZoneInfo("Europe/Amsterdam")


def local(*args):
    return datetime(*args, tzinfo=AMS)


@pytest.fixture
def portal(db):
    portal = PortalSettings.load()
    s = portal.import_settings
    s.auto_import, s.first_day, s.last_day = True, 1, 31
    s.save()
    set_portal_connection(portal, LoketConnection.objects.create(environment="sandbox", refresh_token="rt",
                                                             status=ConnectionStatus.AUTHORISED))
    return portal


def due(administration, now):
    administration.refresh_from_db()
    return due_import(effective_settings(administration), now)


def window(portal, first, last):
    portal.import_settings.first_day, portal.import_settings.last_day = first, last
    portal.import_settings.save()


def test_loket_runs_once_a_night_after_0230_with_the_seeds_periods(portal, acme_admin):
    assert due(acme_admin, local(2026, 11, 22, 2, 29)).slot == "loket:2026-11-21", "before 02:30: last night"
    item = due(acme_admin, local(2026, 11, 22, 2, 30))
    assert item.slot == "loket:2026-11-22" and not item.skip_reason
    assert item.plan[DocumentKind.PAYSLIP] == (Period.month(2026, 11),)
    assert item.plan[DocumentKind.JOURNAL] == (Period.month(2026, 11),)
    assert item.plan[DocumentKind.WAGE_TAX_RETURN] == (Period.month(2026, 10), Period.month(2026, 11))
    assert due(acme_admin, local(2026, 11, 22, 23, 50)).slot == "loket:2026-11-22", "same slot all day"


def test_wage_tax_returns_of_january_include_last_december(portal, acme_admin):
    item = due(acme_admin, local(2027, 1, 3, 3, 0))
    assert item.plan[DocumentKind.WAGE_TAX_RETURN] == (Period.month(2026, 12), Period.month(2027, 1))


def test_window_edges(portal, acme_admin):
    window(portal, 5, 12)
    assert due(acme_admin, local(2026, 11, 4, 12, 0)) is None, "before the first day"
    assert due(acme_admin, local(2026, 11, 5, 2, 30)).slot == "loket:2026-11-05", "first day"
    assert due(acme_admin, local(2026, 11, 12, 2, 30)).slot == "loket:2026-11-12", "last day"
    assert due(acme_admin, local(2026, 11, 13, 2, 30)).slot == "loket:2026-11-12", "catch-up of the last night"
    assert due(acme_admin, local(2026, 11, 14, 2, 30)) is None, "after the window and the catch-up"


def test_a_last_day_past_the_months_end_means_the_end_of_the_month(portal, acme_admin):
    window(portal, 25, 31)
    assert due(acme_admin, local(2026, 2, 28, 2, 30)).slot == "loket:2026-02-28"
    item = due(acme_admin, local(2026, 3, 1, 1, 0))
    assert item.slot == "loket:2026-02-28", "before 02:30 on 1 March: February's last night is still due"
    assert item.plan[DocumentKind.PAYSLIP] == (Period.month(2026, 2),), "periods follow the slot, not the clock"
    assert due(acme_admin, local(2026, 3, 1, 2, 30)).slot == "loket:2026-02-28", "1 March is outside the window"
    assert due(acme_admin, local(2026, 3, 1, 9, 0)) is None, "and February's night is past its catch-up"


def test_a_missed_night_is_caught_up_the_next_day_but_not_later(portal, acme_admin):
    assert due(acme_admin, local(2026, 11, 22, 9, 15)).slot == "loket:2026-11-22", "beat was down at 02:30"
    window(portal, 1, 21)
    assert due(acme_admin, local(2026, 11, 22, 8, 0)).slot == "loket:2026-11-21", "within 30 hours"
    assert due(acme_admin, local(2026, 11, 22, 9, 0)) is None, "more than 30 hours late: next window"


def test_spring_forward_night_02_30_does_not_exist_and_runs_once_after_the_gap(portal, acme_admin):
    # 29 March 2026: clocks go from 02:00 to 03:00.
    assert due(acme_admin, local(2026, 3, 29, 1, 59)).slot == "loket:2026-03-28"
    assert due(acme_admin, datetime(2026, 3, 29, 1, 29, tzinfo=ZoneInfo("UTC"))).slot == "loket:2026-03-28"
    assert due(acme_admin, datetime(2026, 3, 29, 1, 30, tzinfo=ZoneInfo("UTC"))).slot == "loket:2026-03-29"


def test_fall_back_night_02_30_happens_twice_but_is_one_slot(portal, acme_admin):
    # 25 October 2026: 02:00-03:00 happens twice; both 02:30s map to the same slot.
    first = datetime(2026, 10, 25, 0, 30, tzinfo=ZoneInfo("UTC"))
    second = first + timedelta(hours=1)
    assert due(acme_admin, first).slot == due(acme_admin, second).slot == "loket:2026-10-25"
    assert due(acme_admin, first - timedelta(minutes=1)).slot == "loket:2026-10-24"


@pytest.fixture
def nmbrs_admin(portal, acme_admin):
    acme_admin.source = "nmbrs"
    acme_admin.nmbrs_link.company_id = 42
    acme_admin.nmbrs_link.own_credentials = NmbrsCredentials.objects.create(
        login_email="a@b.nl", api_token="t", tenant_key="kantoor", status=ConnectionStatus.AUTHORISED)
    acme_admin.save()
    acme_admin.nmbrs_link.save()
    return acme_admin


def test_nmbrs_runs_hourly_from_seven_to_eight_pm(nmbrs_admin):
    assert due(nmbrs_admin, local(2026, 11, 22, 6, 59)) is None
    assert due(nmbrs_admin, local(2026, 11, 22, 7, 0)).slot == "nmbrs:2026-11-22T07"
    assert due(nmbrs_admin, local(2026, 11, 22, 13, 45)).slot == "nmbrs:2026-11-22T13"
    assert due(nmbrs_admin, local(2026, 11, 22, 20, 59)).slot == "nmbrs:2026-11-22T20"
    assert due(nmbrs_admin, local(2026, 11, 22, 21, 0)) is None


def test_nmbrs_fetches_sepa_only_when_selected(nmbrs_admin, portal):
    assert DocumentKind.SEPA not in due(nmbrs_admin, local(2026, 11, 22, 9, 0)).plan
    portal.import_settings.import_sepa_files = True
    portal.import_settings.save()
    assert due(nmbrs_admin, local(2026, 11, 22, 9, 0)).plan[DocumentKind.SEPA] == (Period.month(2026, 11),)


@pytest.mark.parametrize("breakage,words", [
    ("contract", "payroll link feature"),
    ("auto_off", "Automatic import is switched off"),
    ("broken", "authorised again"),
    ("no_key", "Yuki access key"),
    ("no_kinds", "No document kinds"),
])
def test_skips_say_why_once_a_day_and_leave_the_slot_free(portal, acme_admin, breakage, words, settings):
    settings.LANGUAGE_CODE = "en"
    if breakage == "contract":
        acme_admin.domain.payroll_link_active = False
        acme_admin.domain.save()
    elif breakage == "auto_off":
        portal.import_settings.auto_import = False
        portal.import_settings.save()
    elif breakage == "broken":
        connection = portal_connection(portal)
        connection.status = ConnectionStatus.BROKEN
        connection.save()
    elif breakage == "no_key":
        acme_admin.yuki_access_key = ""
        acme_admin.save()
    elif breakage == "no_kinds":
        s = portal.import_settings
        s.import_payslips = s.import_journals = s.import_wage_tax_returns = False
        s.save()
    from django.utils import translation

    with translation.override("en"):
        item = due(acme_admin, local(2026, 11, 22, 3, 0))
    assert words in item.skip_reason
    assert item.slot == "skip:loket:2026-11-22"
    assert item.plan == {}


def test_own_import_settings_decide_the_window(portal, acme_admin):
    acme_admin.use_portal_import_settings = False
    acme_admin.own_import_settings = ImportSettings.objects.create(auto_import=True, first_day=23, last_day=28)
    acme_admin.save()
    assert due(acme_admin, local(2026, 11, 22, 3, 0)) is None
    assert due(acme_admin, local(2026, 11, 23, 3, 0)).slot == "loket:2026-11-23"


def test_due_imports_covers_every_administration(portal, acme_admin, bakkerij_admin):
    found = {item.administration.pk: item.slot for item in due_imports(local(2026, 11, 22, 3, 0))}
    assert found == {acme_admin.pk: "loket:2026-11-22", bakkerij_admin.pk: "loket:2026-11-22"}


def test_due_imports_reads_only_what_is_not_done(portal, acme, acme_admin, bakkerij_admin):
    """O(work due): administrations whose run of tonight's slot exists are left out in SQL, so the beat's
    queries and the rule's evaluations do not grow with them; a narrower window and a skip still count."""
    from unittest import mock

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal import scheduling
    from portal.models import Administration, ImportRun

    now = local(2026, 11, 22, 3, 0)
    done = [make_administration(
        domain=acme, name=f"Klaar {n}", yuki_administration_id=f"adm-{n}", yuki_access_key=f"key-{n}",
        relation_code=str(5000 + n), wage_tax_number="812345678L01") for n in range(30)]
    ImportRun.objects.bulk_create([ImportRun(administration=a, source="loket", trigger="scheduled",
                                             slot="loket:2026-11-22") for a in done])
    # A run of an earlier slot or a skip of tonight does not make an administration done.
    ImportRun.objects.create(administration=acme_admin, source="loket", trigger="scheduled", slot="loket:2026-11-21")
    ImportRun.objects.create(administration=bakkerij_admin, source="loket", trigger="scheduled",
                             slot="skip:loket:2026-11-22")
    assert sorted(item.administration.pk for item in due_imports(local(2026, 11, 23, 3, 0))) == sorted(
        [acme_admin.pk, bakkerij_admin.pk, *(a.pk for a in done)]), "the next night all of them again"
    with CaptureQueriesContext(connection) as with_done, mock.patch(
            "portal.scheduling.due_import", wraps=scheduling.due_import) as rule:
        found = {item.administration.pk: item.slot for item in due_imports(now)}
    assert found == {acme_admin.pk: "loket:2026-11-22", bakkerij_admin.pk: "loket:2026-11-22"}
    assert rule.call_count == 2, "only the two not done are evaluated"
    Administration.objects.filter(pk__in=[a.pk for a in done]).delete()
    with CaptureQueriesContext(connection) as without_done:
        list(due_imports(now))
    assert len(with_done) == len(without_done), "the done ones cost no query"
    ImportRun.objects.create(administration=acme_admin, source="loket", trigger="scheduled", slot="loket:2026-11-22")
    assert [item.administration.pk for item in due_imports(now)] == [bakkerij_admin.pk]


def test_a_run_describes_itself(portal, acme_admin):
    from portal.models import ImportRun

    run = ImportRun.objects.create(administration=acme_admin, source="loket", trigger="scheduled",
                                   slot="loket:2026-11-22")
    assert "loket:2026-11-22" in str(run)
    assert "manual" in str(ImportRun.objects.create(administration=acme_admin, source="loket", trigger="manual"))


class TestTheBeatEntryUnderTimeMachine:
    """enqueue_due_imports() as the beat calls it, at the moments that matter (clock moved by time-machine)."""

    @pytest.fixture(autouse=True)
    def no_execution(self, monkeypatch):
        from portal import tasks

        monkeypatch.setattr(tasks, "enqueue", lambda run: None)  # only what is enqueued matters here

    def slots(self):
        from portal.models import ImportRun

        return sorted(ImportRun.objects.values_list("slot", flat=True))

    def test_the_spring_forward_night_runs_once_after_the_gap(self, portal, acme_admin):
        import time_machine

        from portal.tasks import enqueue_due_imports

        with time_machine.travel(datetime(2026, 3, 29, 1, 55, tzinfo=AMS)):
            enqueue_due_imports()
        assert self.slots() == ["loket:2026-03-28"], "before the gap: the previous night's catch-up"
        for moment in (datetime(2026, 3, 29, 3, 35, tzinfo=AMS), datetime(2026, 3, 29, 3, 45, tzinfo=AMS)):
            with time_machine.travel(moment):
                enqueue_due_imports()
        assert self.slots() == ["loket:2026-03-28", "loket:2026-03-29"], "once, however often the beat ticks"

    def test_the_fall_back_night_runs_once(self, portal, acme_admin):
        import time_machine

        from portal.tasks import enqueue_due_imports

        first = datetime(2026, 10, 25, 0, 35, tzinfo=ZoneInfo("UTC"))  # 02:35 CEST
        for moment in (first, first + timedelta(hours=1)):  # 02:35 CET, the same wall-clock time again
            with time_machine.travel(moment):
                enqueue_due_imports()
        assert self.slots().count("loket:2026-10-25") == 1

    def test_a_missed_night_is_imported_when_the_scheduler_is_back(self, portal, acme_admin):
        import time_machine

        from portal.tasks import enqueue_due_imports

        with time_machine.travel(datetime(2026, 11, 23, 9, 10, tzinfo=AMS)):  # down from 02:00 to 09:00
            enqueue_due_imports()
        assert self.slots() == ["loket:2026-11-23"]

    def test_month_end_with_a_window_to_the_31st_in_a_30_day_month(self, portal, acme_admin):
        import time_machine

        from portal.tasks import enqueue_due_imports

        window(portal, 20, 31)
        with time_machine.travel(datetime(2026, 11, 30, 2, 40, tzinfo=AMS)):
            enqueue_due_imports()
        with time_machine.travel(datetime(2026, 12, 1, 2, 40, tzinfo=AMS)):
            enqueue_due_imports()
        assert self.slots() == ["loket:2026-11-30"], "the last day of November, and not 1 December"
