import pytest
from django.urls import reverse

from portal.models import Administration, AuditLogEntry


@pytest.fixture(autouse=True)
def valid_numbers(db, acme_admin):
    """The form checks Yuki IDs (GUIDs) and the wage tax number's 11-test: start from values that pass."""
    Administration.objects.filter(pk=acme_admin.pk).update(
        yuki_administration_id="00000000-0000-4000-8000-000000000021", wage_tax_number="812345678L01")


@pytest.mark.django_db
def test_changing_an_administration_is_logged_with_fields_and_masked_secrets(users, acme_admin, login):
    client = login(users["carol"])
    response = client.post(reverse("portal:administration-edit", args=[acme_admin.pk]), {
        "name": "Acme Holding B.V.", "yuki_administration_id": "00000000-0000-4000-8000-000000000021", "yuki_access_key": "BRAND-NEW-KEY",
        "source": "loket", "relation_code": "1001", "wage_tax_number": "812345678L01",
        "use_portal_loket_access": "on", "use_portal_import_settings": "on"})
    assert response.status_code == 302
    entry = AuditLogEntry.objects.get(object_id=str(acme_admin.pk), action="changed")
    assert entry.username == "carol"
    changed = {label.lower(): change for label, change in entry.changes.items()}
    name_change = next(v for k, v in changed.items() if k in ("naam", "name"))
    assert name_change == {"old": "Acme B.V.", "new": "Acme Holding B.V."}
    assert "BRAND-NEW-KEY" not in str(entry.changes) and "acme-key-123" not in str(entry.changes)
    assert any("set" in str(change["new"]) for change in entry.changes.values())
    assert len(entry.changes) == 2, "unchanged fields are not listed"


@pytest.mark.django_db
def test_own_import_settings_are_logged_and_the_page_lists_entries(users, acme_admin, login):
    client = login(users["alice"])
    client.post(reverse("portal:administration-edit", args=[acme_admin.pk]), {
        "name": "Acme B.V.", "yuki_administration_id": "00000000-0000-4000-8000-000000000022", "yuki_access_key": "", "source": "loket",
        "relation_code": "1001", "wage_tax_number": "812345678L01", "use_portal_loket_access": "on",
        "own-auto_import": "on", "own-first_day": "2", "own-last_day": "15",
        "own-wage_tax_return_status": "locked"})
    acme_admin.refresh_from_db()
    assert acme_admin.use_portal_import_settings is False
    assert acme_admin.own_import_settings.last_day == 15
    assert AuditLogEntry.objects.filter(object_repr__contains="Acme B.V.").count() == 2
    page = client.get(reverse("portal:audit")).content.decode()
    assert "alice" in page and "Acme B.V." in page


@pytest.mark.django_db
def test_changing_existing_import_settings_is_logged_with_old_and_new_values(users, login):
    client = login(users["bob"])
    data = {"section": "import", "import-auto_import": "on", "import-first_day": "1", "import-last_day": "28",
            "import-wage_tax_return_status": "locked"}
    client.post(reverse("portal:settings"), data)
    client.post(reverse("portal:settings"), {**data, "import-first_day": "3"})
    entry = AuditLogEntry.objects.filter(action="changed").latest("at")
    assert entry.username == "bob"
    assert [change for change in entry.changes.values()] == [{"old": 1, "new": 3}]


@pytest.mark.django_db
def test_renaming_and_deactivating_a_user_is_logged(users, login):
    client = login(users["alice"])
    bob = users["bob"]
    response = client.post(reverse("portal:user-edit", args=[bob.pk]), {
        "username": "robert", "first_name": "", "last_name": "", "email": "robert@example.nl",
        "portal_role": "backoffice", "password": ""})
    assert response.status_code == 302
    entry = AuditLogEntry.objects.get(action="changed", object_id=str(bob.pk))
    # Stored in source form (msgids, booleans): read in each reader's language (the next test).
    assert entry.changes["username"] == {"old": "bob", "new": "robert"}
    assert entry.changes["active"] == {"old": True, "new": False}
    assert "e-mail" in entry.changes


def audit_rows(client) -> list[str]:
    import re

    page = client.get(reverse("portal:audit")).content.decode()
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in re.findall(r"<li>(.*?)</li>", page, re.S)]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "expected", "foreign"), [
    ("nl", ["gebruikersnaam : bob → robert", "actief : ja → nee"], ["username", "yes", "True"]),
    ("en", ["username : bob → robert", "active : yes → no"], ["gebruikersnaam", "ja", "True"]),
])
def test_the_audit_log_reads_in_the_readers_language(users, login, language, expected, foreign):
    from portal.languages import choose_language

    client = login(users["alice"])
    client.post(reverse("portal:user-edit", args=[users["bob"].pk]), {
        "username": "robert", "email": "bob@example.nl", "portal_role": "backoffice", "password": ""})
    choose_language(users["alice"], language)
    rows = audit_rows(client)
    for row in expected:
        assert row in rows, rows
    assert not [word for word in foreign for row in rows if f" {word} " in f" {row} "], rows


@pytest.mark.django_db
def test_settings_changes_read_as_words_not_database_values(users, acme_admin, login):
    """Not database values such as 'validated at', 'True', '– → 2' (an ID): each change reads as words."""
    client = login(users["alice"])
    client.post(reverse("portal:administration-edit", args=[acme_admin.pk]), {
        "name": "Acme B.V.", "yuki_administration_id": "5f0c9a52-1b9e-4c61-9d0e-2a7b3c4d5e6f", "yuki_access_key": "", "source": "loket",
        "relation_code": "1001", "wage_tax_number": "812345678L01", "use_portal_loket_access": "on",
        "own-auto_import": "on", "own-first_day": "2", "own-last_day": "15",
        "own-wage_tax_return_status": "locked"})
    rows = audit_rows(client)
    assert any(row.startswith("gebruik de importinstellingen van het portaal : ja → nee") for row in rows), rows
    assert any("automatisch importeren : – → ja" in row.lower() for row in rows), rows
    assert not [row for row in rows if "True" in row or "False" in row or "own import" in row], rows
    # The link to the own settings (an ID) is no row of its own: the six fields changed, nothing else. (This
    # looked for a row ending in the administration's pk, which the first day's "– → 2" matched when pk was 2.)
    assert "– → 15" in " ".join(rows) and len({row.split(" : ")[0] for row in rows}) == len(rows) == 6, rows
