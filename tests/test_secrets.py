"""Secrets are encrypted at rest and never rendered back."""

import shutil
import subprocess

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from integrations.loket.models import LoketConnection, set_portal_connection
from integrations.nmbrs.models import NmbrsCredentials, set_portal_credentials
from portal.models import Administration, PortalSettings

SECRETS = {
    "yuki": "YUKI-ACCESS-KEY-0b5e6f1c",
    "access": "LOKET-ACCESS-TOKEN-77aa",
    "refresh": "LOKET-REFRESH-TOKEN-88bb",
    "nmbrs": "NMBRS-API-TOKEN-99cc",
}


@pytest.fixture
def stored_secrets(acme):
    Administration.objects.create(domain=acme, name="Secretive", yuki_administration_id="adm-s",
                                  yuki_access_key=SECRETS["yuki"], relation_code="1",
                                  wage_tax_number="123456789L01")
    portal = PortalSettings.load()
    set_portal_connection(portal, LoketConnection.objects.create(
        environment="sandbox", access_token=SECRETS["access"], refresh_token=SECRETS["refresh"]))
    set_portal_credentials(portal, NmbrsCredentials.objects.create(
        login_email="x@y.nl", api_token=SECRETS["nmbrs"], tenant_key="kantoor"))


@pytest.mark.django_db(transaction=True)
def test_a_database_dump_holds_no_secret_in_plain_text(stored_secrets):
    pg_dump = shutil.which("pg_dump")
    assert pg_dump, "pg_dump (PostgreSQL client) is needed for this test"
    db = settings.DATABASES["default"]
    dump = subprocess.run(
        [pg_dump, "--data-only", "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432),
         "-U", db["USER"], db["NAME"]],
        capture_output=True, text=True, check=True, env={"PGPASSWORD": db.get("PASSWORD") or ""},
    ).stdout
    assert "Secretive" in dump, "the dump holds the data"
    for secret in SECRETS.values():
        assert secret not in dump
    assert dump.count("fernet:") >= 4


@pytest.mark.django_db
def test_secrets_read_back_decrypted_through_the_orm(stored_secrets):
    assert Administration.objects.get(name="Secretive").yuki_access_key == SECRETS["yuki"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT yuki_access_key FROM portal_administration WHERE name = 'Secretive'")
        (raw,) = cursor.fetchone()
    assert raw.startswith("fernet:") and SECRETS["yuki"] not in raw


@pytest.mark.django_db
def test_forms_never_show_a_stored_secret(stored_secrets, users, login):
    client = login(users["alice"])
    administration = Administration.objects.get(name="Secretive")
    pages = [reverse("portal:administration-edit", args=[administration.pk]),
             reverse("portal:administration", args=[administration.pk]), reverse("portal:settings")]
    for url in pages:
        html = client.get(url).content.decode()
        for secret in SECRETS.values():
            assert secret not in html, f"{url} shows a secret"
    html = client.get(pages[0]).content.decode()
    assert "Leeg laten om die te bewaren" in html, "it says a value is stored"


@pytest.mark.django_db
def test_an_empty_secret_input_keeps_the_stored_value_and_clear_removes_it(stored_secrets, users, login):
    client = login(users["alice"])
    administration = Administration.objects.get(name="Secretive")
    url = reverse("portal:administration-edit", args=[administration.pk])
    data = {"name": "Secretive", "yuki_administration_id": "00000000-0000-4000-8000-000000000031", "yuki_access_key": "", "source": "loket",
            "relation_code": "1", "wage_tax_number": "812345678L01", "use_portal_loket_access": "on",
            "use_portal_import_settings": "on"}
    assert client.post(url, data).status_code == 302
    administration.refresh_from_db()
    assert administration.yuki_access_key == SECRETS["yuki"]

    assert client.post(url, {**data, "yuki_access_key": "NEW-KEY"}).status_code == 302
    administration.refresh_from_db()
    assert administration.yuki_access_key == "NEW-KEY"

    response = client.post(url, {**data, "yuki_access_key_clear": "on"})
    assert response.status_code == 200, "an administration cannot be saved without a Yuki key"
    administration.refresh_from_db()
    assert administration.yuki_access_key == "NEW-KEY"


def test_rotation_keeps_old_secrets_readable(settings):
    from cryptography.fernet import Fernet

    from portal import crypto

    old_key = Fernet.generate_key().decode()
    settings.SECRET_ENCRYPTION_KEYS = [old_key]
    stored = crypto.encrypt("s3cret")
    new_key = Fernet.generate_key().decode()
    settings.SECRET_ENCRYPTION_KEYS = [new_key, old_key]
    assert crypto.decrypt(stored) == "s3cret"
    rotated = crypto.rotate(stored)
    settings.SECRET_ENCRYPTION_KEYS = [new_key]
    assert crypto.decrypt(rotated) == "s3cret"
    with pytest.raises(ValueError, match="SECRET_ENCRYPTION_KEYS"):
        crypto.decrypt(stored)


def test_a_secret_is_decrypted_once_per_process_and_not_past_its_key(settings, monkeypatch):
    from cryptography.fernet import Fernet, MultiFernet

    from portal import crypto

    key = Fernet.generate_key().decode()
    settings.SECRET_ENCRYPTION_KEYS = [key]
    stored = crypto.encrypt("s3cret")
    opened = []
    real = MultiFernet.decrypt
    monkeypatch.setattr(MultiFernet, "decrypt", lambda self, token: opened.append(token) or real(self, token))
    assert [crypto.decrypt(stored) for _ in range(3)] == ["s3cret"] * 3
    assert len(opened) == 1, "the same stored value is decrypted once"
    with pytest.raises(ValueError, match="not encrypted"):
        crypto.decrypt("s3cret")
    settings.SECRET_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # the key taken out: no longer readable
    with pytest.raises(ValueError, match="SECRET_ENCRYPTION_KEYS"):
        crypto.decrypt(stored)
    with pytest.raises(ValueError, match="SECRET_ENCRYPTION_KEYS"):
        crypto.decrypt(stored)  # a failure is not remembered as a value either
    assert len(opened) == 3
