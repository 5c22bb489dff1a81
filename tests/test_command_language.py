"""Every management command speaks one language: the portal's (Dutch by default), English with --language en.

A line of Dutch output must hold none of the English words below, and a line of English output none of
the Dutch ones. The words are chosen to occur in only one of the two languages; names from the data
(domains, administrations, logins) are written so that they hold none of them.
"""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import translation

from portal.models import Domain
from portal.version import portal_version
from tests.people import assign
from tests.vendor_state import make_administration

ENGLISH = {"the", "not", "and", "for", "with", "could", "yet", "calls", "today", "accepted", "queued",
           "password", "ready", "exists", "use", "newest", "secrets", "matches", "future", "there", "stays",
           "changed", "received", "after", "administrator", "only", "creates", "known", "missing", "domain",
           "complete", "credentials", "settings", "click", "connect", "starting", "stopped", "runs", "would",
           "folder", "payslip"}
DUTCH = {"de", "het", "een", "niet", "van", "voor", "met", "nog", "geen", "vandaag", "aanroepen", "wachtwoord",
         "gebruiker", "gekoppeld", "staan", "klaar", "wachtrij", "toekomst", "ligt", "na", "ontving", "bestaat",
         "opnieuw", "versleuteld", "sleutel", "alleen", "werkt", "blijft", "domein", "compleet", "instellingen",
         "klik", "verbind", "starten", "gestopt", "draaien", "goed", "fout", "portaalbeheerder", "geheimen",
         "verwacht", "bijvoorbeeld"}


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text))  # lower-case words only: names start with a capital


def assert_dutch(text: str):
    assert text.strip(), "the command printed something"
    assert not words(text) & ENGLISH, f"English in Dutch output: {sorted(words(text) & ENGLISH)}\n{text}"
    assert words(text) & DUTCH, f"no Dutch at all:\n{text}"


def assert_english(text: str):
    assert text.strip(), "the command printed something"
    assert not words(text) & DUTCH, f"Dutch in English output: {sorted(words(text) & DUTCH)}\n{text}"
    assert words(text) & ENGLISH, f"no English at all:\n{text}"


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=out, no_color=True, **options)
    return out.getvalue()


def failure(*args, **options) -> str:
    with pytest.raises(CommandError) as raised:
        run(*args, **options)
    return str(raised.value)


@pytest.fixture(autouse=True)
def dutch_portal():
    """The test runner's own language must not leak in: the portal language is the command's default."""
    with translation.override("en"), override_settings(LANGUAGE_CODE="nl"):
        yield


@pytest.fixture
def unlinked_loket(db):
    domain = Domain.objects.create(name="Kaasmakerij Zuidwolde", yuki_domain_id="dom-kz", payroll_link_active=True)
    assign(domain, "loket", "3003", "111222333L01", "Kaasmakerij Zuidwolde B.V.")  # its employer: not the refusal
    return make_administration(domain=domain, name="Kaasmakerij Zuidwolde B.V.",
                                         yuki_administration_id="adm-kz", yuki_access_key="kz-key",
                                         relation_code="3003", wage_tax_number="111222333L01")


@pytest.fixture
def nmbrs_without_credentials(db):
    domain = Domain.objects.create(name="Zuivel Oosterend", yuki_domain_id="dom-zo", payroll_link_active=True)
    return make_administration(domain=domain, name="Zuivel Oosterend B.V.", source="nmbrs",
                                         yuki_administration_id="adm-zo", yuki_access_key="zo-key",
                                         nmbrs_company_id=7, use_portal_nmbrs_credentials=True)


def test_check_connections(unlinked_loket, nmbrs_without_credentials):
    assert_dutch(run("check_connections", "--no-yuki"))
    assert_english(run("check_connections", "--no-yuki", language="en"))
    assert "Loket" in run("check_connections", "--no-yuki", language="en")


def test_check_connections_follows_the_language_setting(unlinked_loket):
    with override_settings(LANGUAGE_CODE="en"), translation.override("nl"):
        assert_english(run("check_connections", "--no-yuki"))


def test_create_admin(db):
    assert_dutch(run("create_admin", "beheer"))
    assert_dutch(failure("create_admin", "beheer"))
    assert_english(run("create_admin", "manager", language="en"))
    assert_english(failure("create_admin", "manager", language="en"))


def test_import_now_refusals(unlinked_loket):
    assert_dutch(failure("import_now", "--month", "2099-01"))
    assert_english(failure("import_now", "--month", "2099-01", language="en"))
    assert_dutch(failure("import_now", "--administration", "Onbekend"))
    assert_english(failure("import_now", "--administration", "Unheard", language="en"))
    assert_dutch(failure("import_now", "--month", "oktober"))


@pytest.mark.django_db(transaction=True)  # a run is handed to the worker on commit, as in production
def test_import_now_reports_each_run(unlinked_loket):
    dutch = run("import_now", "--dry-run")
    english = run("import_now", "--dry-run", language="en")
    assert "Mislukt" in dutch and "Failed" in english, "the runs ended (Loket is not connected)"
    assert_dutch(dutch)
    # A run's result is stored in the portal's language (Dutch) by the worker, like every stored text; the
    # command's own words around it follow --language.
    own_words = "\n".join(line.split(" – ")[0] for line in english.splitlines())
    assert "Failed" in own_words and "Mislukt" not in own_words, own_words


def test_rotate_secrets(db):
    assert_dutch(run("rotate_secrets"))
    assert_english(run("rotate_secrets", language="en"))


def test_seed_demo(db):
    assert_dutch(run("seed_demo"))
    assert_english(run("seed_demo", language="en"))


@override_settings(SANDBOX_ENABLED=False)
def test_sandbox_commands_refuse_in_the_portal_language(db):
    assert_dutch(failure("seed_demo"))
    assert_english(failure("seed_demo", language="en"))
    assert_dutch(failure("run_sandbox"))
    assert_english(failure("run_sandbox", language="en"))


@pytest.mark.parametrize("command", ["check_connections", "create_admin", "import_now", "rotate_secrets",
                                     "run_sandbox", "seed_demo"])
def test_every_command_prints_the_portal_version(command, capsys):
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit):
        ManagementUtility(["manage.py", command, "--version"]).execute()
    assert capsys.readouterr().out.strip() == f"payrollsync {portal_version()}"


def test_manage_py_version_names_the_portal():
    import subprocess
    import sys
    from pathlib import Path

    import django

    root = Path(__file__).resolve().parent.parent
    answer = subprocess.run([sys.executable, "manage.py", "--version"], cwd=root, capture_output=True, text=True,
                            check=True)
    assert answer.stdout.strip() == f"payrollsync {portal_version()} (Django {django.get_version()})"
    assert answer.stderr == ""


@pytest.mark.parametrize(("language", "check"), [("nl", assert_dutch), ("en", assert_english)])
def test_make_run_says_what_it_does_in_the_language_of_the_commands_it_starts(language, check):
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    dry = subprocess.run(["make", "-n", "-B", "run", f"PORTAL_LANGUAGE={language}"], cwd=root, capture_output=True,
                         text=True, timeout=60, check=True).stdout
    said = re.findall(r'^echo "(.*)"', dry, re.M)
    assert len(said) >= 2, dry  # installing (-B: as on a fresh clone), preparing the database
    check("\n".join(said).replace("SQLite", "").replace("db.sqlite3", ""))
    failed = re.search(r'echo "([^"$]*) \$\*"', dry).group(1)
    assert failed == {"nl": "Mislukt:", "en": "Failed:"}[language]
    assert f"seed_demo --language {language}" in dry and f"--language {language}" in dry.split("run_sandbox")[-1]


def test_a_dry_runs_preview_lines_name_kinds_periods_and_folders_in_words():
    from portal.management.commands.import_now import in_words

    previews = [{"kind": "payslip", "period": "2026-11", "name": "strook.pdf", "target": "personnel", "folder": 4},
                {"kind": "wage_tax_return", "period": "2026-10", "name": "aangifte.xml", "target": "tax", "folder": 5},
                {"kind": "journal", "period": "2026-11", "name": "Salarissen", "target": "journal", "lines": []}]
    for language, check, codes in (("nl", assert_dutch, {"payslip", "personnel", "tax", "wage", "journal"}),
                                   ("en", assert_english, {"personeel", "belasting", "loonaangifte"})):
        with translation.override(language):
            text = "\n".join(translation.gettext("would book %(kind)s %(period)s: %(name)s -> %(target)s")
                             % in_words(preview) for preview in previews)
        check(text)
        assert not words(text) & codes, text
        assert "2026-11" not in text, "the period in words, as on the run page"
