"""Secrets stay encrypted in every export, and the README's backup and restore brings them back working."""

import re
import shlex
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.utils import timezone

from integrations.loket.models import LoketConnection
from integrations.nmbrs.models import NmbrsCredentials
from portal.models import Administration
from portal.models.yuki import YukiSession

README = Path(__file__).resolve().parent.parent / "README.md"
SECRETS = {"yuki": "yuki-access-key-6f1d2c", "access": "loket-access-token-91ab", "refresh": "loket-refresh-77cd",
           "nmbrs": "nmbrs-api-token-3e5f", "session": "yuki-session-id-c0ffee"}


def documented_commands() -> list[list[str]]:
    """The manage.py lines of the README's 'Backup and restore' section, in order."""
    section = README.read_text().split("## Backup and restore", 1)[1].split("\n## ", 1)[0]
    lines = re.findall(r"^python manage\.py (.+)$", section, flags=re.MULTILINE)
    return [shlex.split(line) for line in lines]


@pytest.fixture
def secrets(acme_admin):
    acme_admin.yuki_access_key = SECRETS["yuki"]
    acme_admin.loket_link.own_connection = LoketConnection.objects.create(
        environment="sandbox", access_token=SECRETS["access"], refresh_token=SECRETS["refresh"],
        status="authorised")
    acme_admin.nmbrs_link.own_credentials = NmbrsCredentials.objects.create(
        login_email="salaris@example.nl", api_token=SECRETS["nmbrs"], tenant_key="kantoor")
    acme_admin.save()
    acme_admin.loket_link.save()
    acme_admin.nmbrs_link.save()
    YukiSession.objects.create(fingerprint="f" * 64, session_id=SECRETS["session"],
                               expires_at=timezone.now() + timedelta(hours=1))
    return acme_admin


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "jsonl", "xml", "python"])
def test_dumpdata_writes_no_secret_in_plain_text(secrets, fmt, tmp_path, capsys):
    if fmt == "python":
        from django.core import serializers

        text = repr(serializers.serialize("python", [secrets, secrets.loket_link.own_connection,
                                                     secrets.nmbrs_link.own_credentials, *YukiSession.objects.all()]))
    else:
        out = tmp_path / f"dump.{fmt}"
        call_command("dumpdata", "portal", "loket", "nmbrs", format=fmt, output=str(out))  # the sources keep theirs
        text = out.read_text()
    for secret in SECRETS.values():
        assert secret not in text
    assert text.count("fernet:") >= len(SECRETS)


@pytest.mark.django_db(transaction=True)
def test_the_documented_dump_and_restore_gives_working_secrets(secrets, tmp_path, monkeypatch, users):
    monkeypatch.chdir(tmp_path)
    dump, *restore = documented_commands()
    assert dump[0] == "dumpdata" and [c[0] for c in restore] == ["migrate", "loaddata"]
    call_command(*dump)
    assert not any(secret in Path("backup.json").read_text() for secret in SECRETS.values())
    call_command("flush", interactive=False)
    assert not Administration.objects.exists()
    for command in restore:
        call_command(*command, verbosity=0)
    restored = Administration.objects.get(pk=secrets.pk)
    assert restored.yuki_access_key == SECRETS["yuki"]
    assert restored.loket_link.own_connection.access_token == SECRETS["access"]
    assert restored.loket_link.own_connection.refresh_token == SECRETS["refresh"]
    assert restored.nmbrs_link.own_credentials.api_token == SECRETS["nmbrs"]
    assert YukiSession.objects.get().session_id == SECRETS["session"]
    assert restored.domain.name == "Acme"
    from django.contrib.auth.models import User

    assert User.objects.get(username="alice").check_password("correct-horse-battery-staple")


@pytest.mark.django_db
def test_a_restore_with_other_keys_fails_loudly(secrets, tmp_path, settings):
    out = tmp_path / "backup.json"
    call_command("dumpdata", "portal.administration", output=str(out))
    Administration.objects.all().delete()
    settings.SECRET_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(DeserializationError):
        call_command("loaddata", str(out), verbosity=0)


@pytest.mark.django_db
def test_typed_secrets_are_still_taken_as_typed(acme_admin):
    from django.core.exceptions import ValidationError

    field = Administration._meta.get_field("yuki_access_key")
    acme_admin.yuki_access_key = field.clean("fernet-looking but typed", acme_admin)
    acme_admin.save()
    acme_admin.refresh_from_db()
    assert acme_admin.yuki_access_key == "fernet-looking but typed"
    with pytest.raises(ValidationError):  # a ciphertext our keys cannot open: a form error, not a crash
        field.clean("fernet:gAAAA-not-ours", acme_admin)
