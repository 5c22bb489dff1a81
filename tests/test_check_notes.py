"""An uncertain document says who checks it and when, in the same words on the run page, the document page
and "Te controleren"."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from portal.models import EntryState, ImportRun, LedgerEntry, LedgerEvent


@pytest.mark.django_db
def test_the_automatic_check_is_announced_with_its_time(users, acme_admin, login, settings):
    settings.IMPORT_RECONCILE_DELAY_SECONDS = 300
    sent = datetime(2026, 11, 30, 14, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    run = ImportRun.objects.create(administration=acme_admin, source="loket", trigger="manual", status="running")
    entry = LedgerEntry.objects.create(
        administration=acme_admin, source="loket", kind="payslip", source_id="ps-1", period="2026-11",
        title="Loonstrook november", file_name="ls.pdf", content_hash="x", content=b"%PDF",
        state=EntryState.NEEDS_CHECK, check_by_person=False, attempted_at=sent, last_run=run)
    LedgerEvent.objects.create(entry=entry, run=run, kind="needs_check", version=1, message="verbinding verbroken")
    note = entry.check_note()
    assert "30-11-2026 14:05" in note and "automatisch" in note
    client = login(users["alice"])
    for url in (reverse("portal:document", args=[entry.pk]), reverse("portal:run", args=[run.pk]),
                reverse("portal:needs-check")):
        assert note in client.get(url).content.decode(), url

    LedgerEntry.objects.filter(pk=entry.pk).update(check_by_person=True)
    entry.refresh_from_db()
    assert "Wacht op je antwoord" in entry.check_note()
    assert entry.check_note() in client.get(reverse("portal:document", args=[entry.pk])).content.decode()
    assert LedgerEntry(state=EntryState.BOOKED).check_note() == ""
