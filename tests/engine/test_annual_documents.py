"""docs/vendors/nmbrs.md bulk action: annual documents for selected Nmbrs administrations, booked once."""

from django.urls import reverse
from django.utils import timezone

from portal.models import EntryState, ImportRun, LedgerEntry, PortalRole, RunStatus
from sandbox.nmbrs import data as nmbrs_data
from tests.people import make_user

LAST_YEAR = timezone.localdate().year - 1


def test_bulk_fetch_of_last_years_annual_documents(bakkerij_nmbrs, yuki, client):
    client.force_login(make_user("alice", PortalRole.ADMINISTRATOR))
    page = client.get(reverse("portal:annual-documents")).content.decode()
    assert "Bakkerij Jansen B.V." in page
    response = client.post(reverse("portal:annual-documents"),
                           {"year": LAST_YEAR, "administration": [bakkerij_nmbrs.pk]})
    assert response.status_code == 302
    run = ImportRun.objects.get(administration=bakkerij_nmbrs, category="annual")
    assert run.status == RunStatus.SUCCEEDED, run.result
    entries = LedgerEntry.objects.filter(administration=bakkerij_nmbrs, kind="annual_document")
    assert entries.count() == run.booked > 0
    assert set(entries.values_list("state", flat=True)) == {EntryState.BOOKED}
    assert {f.folder for f in yuki.app.state.archive} == {4}, "annual documents go to the personnel folder"
    assert set(entries.values_list("period", flat=True)) == {f"{LAST_YEAR}-P00"}

    client.post(reverse("portal:annual-documents"), {"year": LAST_YEAR, "administration": [bakkerij_nmbrs.pk]})
    assert len(yuki.app.state.archive) == entries.count(), "asking again books nothing twice"


def test_missing_annual_document_rights_are_named(bakkerij_nmbrs, yuki, client):
    credentials = bakkerij_nmbrs.nmbrs_link.own_credentials
    credentials.login_email, credentials.api_token = (nmbrs_data.NO_ANNUAL_RIGHTS_USERNAME,
                                                      nmbrs_data.NO_ANNUAL_RIGHTS_TOKEN)
    credentials.save()
    client.force_login(make_user("alice", PortalRole.ADMINISTRATOR))
    client.post(reverse("portal:annual-documents"), {"year": LAST_YEAR, "administration": [bakkerij_nmbrs.pk]})
    run = ImportRun.objects.get(administration=bakkerij_nmbrs, category="annual")
    assert run.status == RunStatus.FAILED
    assert "SalaryDocuments_AnnualDocument" in run.result


def test_only_administrations_the_user_may_change_can_be_chosen(bakkerij_nmbrs, yuki, client):
    client.force_login(make_user("bob", PortalRole.BACKOFFICE))
    assert "Bakkerij Jansen B.V." not in client.get(reverse("portal:annual-documents")).content.decode()
    client.post(reverse("portal:annual-documents"), {"year": LAST_YEAR, "administration": [bakkerij_nmbrs.pk]})
    assert not ImportRun.objects.exists()
