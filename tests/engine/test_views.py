"""The import screens: Import now, live progress, dry run, backfill, run log, histories, checks."""

from django.urls import reverse
from django.utils import timezone

from portal.models import EntryState, ImportRun, LedgerEntry, PortalRole, RunStatus, RunTrigger
from tests.people import make_user

TODAY = timezone.localdate()


def alice(client):
    client.force_login(make_user("alice", PortalRole.ADMINISTRATOR))
    return client


def test_import_now_from_the_administration_page(bakkerij_nmbrs, yuki, client):
    page = alice(client).get(reverse("portal:administration", args=[bakkerij_nmbrs.pk])).content.decode()
    assert "Nu importeren" in page
    response = client.post(reverse("portal:import-now", args=[bakkerij_nmbrs.pk]), {"month": ""}, follow=True)
    run = ImportRun.objects.get(administration=bakkerij_nmbrs)
    assert response.redirect_chain[-1][0] == reverse("portal:run", args=[run.pk])
    assert run.trigger == RunTrigger.MANUAL and run.requested_by.username == "alice"
    html = response.content.decode()
    assert run.get_status_display() in html and "Afgerond" in html
    assert 'hx-trigger="every 2s"' not in html, "a finished run is not polled"
    for entry in LedgerEntry.objects.filter(administration=bakkerij_nmbrs):
        assert entry.title in html


def test_a_running_import_polls_for_progress(bakkerij_nmbrs, client):
    run = ImportRun.objects.create(administration=bakkerij_nmbrs, source="nmbrs", trigger=RunTrigger.MANUAL,
                                   status=RunStatus.RUNNING, started_at=timezone.now(), fetched=3, booked=1)
    html = alice(client).get(reverse("portal:run", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in html and "Bezig" in html
    partial = client.get(reverse("portal:run", args=[run.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith("<section") and "<html" not in partial, "htmx gets only the progress part"


def test_dry_run_shows_journal_lines_and_files_without_booking(bakkerij_nmbrs, yuki, client):
    alice(client).post(reverse("portal:import-now", args=[bakkerij_nmbrs.pk]), {"month": "", "dry_run": "on"})
    run = ImportRun.objects.get(administration=bakkerij_nmbrs)
    html = client.get(reverse("portal:run", args=[run.pk])).content.decode()
    assert run.dry_run and "Wat zou worden geboekt" in html
    assert "Grootboekrekening" in html and "Yuki-map" in html
    assert not yuki.app.state.archive and not yuki.app.state.journals


def test_backfill_an_earlier_month_from_the_page(bakkerij_nmbrs, yuki, client):
    earlier = f"{TODAY.year - 1}-06"
    alice(client).post(reverse("portal:import-now", args=[bakkerij_nmbrs.pk]), {"month": earlier})
    run = ImportRun.objects.get(administration=bakkerij_nmbrs)
    assert run.trigger == RunTrigger.BACKFILL and run.periods == [earlier]
    assert run.status == RunStatus.SUCCEEDED, run.result
    assert set(LedgerEntry.objects.values_list("period", flat=True)) == {earlier}


def test_a_future_month_is_refused_with_a_message(bakkerij_nmbrs, client):
    future = f"{TODAY.year + 1}-01"
    response = alice(client).post(reverse("portal:import-now", args=[bakkerij_nmbrs.pk]), {"month": future},
                                  follow=True)
    assert not ImportRun.objects.exists()
    assert "toekomstige maand" in response.content.decode()


def test_run_log_filters_and_shows_totals(bakkerij_nmbrs, yuki, client):
    alice(client).post(reverse("portal:import-now", args=[bakkerij_nmbrs.pk]), {"month": ""})
    ImportRun.objects.create(administration=bakkerij_nmbrs, source="nmbrs", trigger=RunTrigger.SCHEDULED,
                             status=RunStatus.SKIPPED, result="Automatisch importeren staat uit.")
    html = client.get(reverse("portal:runs")).content.decode()
    assert "Afgerond" in html and "Overgeslagen" in html
    html = client.get(reverse("portal:runs"), {"status": "skipped"}).content.decode()
    assert "Overgeslagen" in html and "Afgerond</a>" not in html


def test_a_person_answers_for_a_journal_held_for_a_check(bakkerij_nmbrs, yuki, client):
    alice(client).post(reverse("portal:import-now", args=[bakkerij_nmbrs.pk]), {"month": ""})
    journal = LedgerEntry.objects.get(administration=bakkerij_nmbrs, kind="journal")
    LedgerEntry.objects.filter(pk=journal.pk).update(state=EntryState.NEEDS_CHECK, check_by_person=True,
                                                     last_error="Controleer in Yuki")
    assert journal.title in client.get(reverse("portal:needs-check")).content.decode()
    client.post(reverse("portal:document-answer", args=[journal.pk]), {"answer": "in_yuki"})
    journal.refresh_from_db()
    assert journal.state == EntryState.BOOKED
    history = client.get(reverse("portal:document", args=[journal.pk])).content.decode()
    assert "In Yuki bevestigd door alice" in history
    assert len(yuki.app.state.journals) == 1, "confirming sends nothing"
