"""A refusal by Yuki, as the bookkeeper reads it: explained in the portal's language, with Yuki's own
(English) words only quoted and labelled as Yuki's; and check_connections in the language it speaks."""

import io
import logging
import re

from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from portal.models import EntryState, LedgerEntry
from tests.engine.test_engine_nmbrs import import_now
from tests.i18n.language_check import foreign_words


def plain(text: str, label: str) -> str:
    """The text without Yuki's quoted words (which must carry the label)."""
    text = re.sub(rf"\({re.escape(label)}\"[^\"]*\"\)", " ", text)
    assert '"' not in text.replace("'", ""), text
    return text


def test_a_refused_journal_is_explained_in_dutch_with_yukis_words_quoted(bakkerij_nmbrs, yuki):
    yuki.app.faults.add("soap_fault", vendor="yuki", operation="ProcessJournal", times=1,
                        message="GLAccount 4000 does not exist")
    with translation.override("en"):  # a worker's own language does not matter: stored texts are the portal's
        import_now(bakkerij_nmbrs)
    journal = LedgerEntry.objects.get(administration=bakkerij_nmbrs, kind="journal")
    assert journal.state == EntryState.FAILED
    error = journal.last_error
    assert 'Yuki meldt: "GLAccount 4000 does not exist"' in error, error
    assert "grootboekrekening" in error
    assert not foreign_words(plain(error, "Yuki meldt: "), "nl"), error


def test_check_connections_explains_a_refusal_in_the_commands_language(bakkerij_nmbrs, yuki, caplog):
    yuki.app.faults.add("soap_fault", vendor="yuki", operation="Authenticate", times=0,
                        message="Server is in maintenance mode")
    for language, label in (("nl", "Yuki meldt: "), ("en", "Yuki says: ")):
        out = io.StringIO()
        with override_settings(LANGUAGE_CODE="nl"):
            call_command("check_connections", stdout=out, no_color=True, language=language)
        line = next(line for line in out.getvalue().splitlines() if line.strip().startswith(("FAIL", "FOUT")))
        assert f'{label}"Server is in maintenance mode"' in line, line
        assert not foreign_words(plain(line, label), language), line
    assert not [record for record in caplog.records if record.name.startswith("yuki_client")], \
        "no English log line repeats what the report says"
    assert logging.getLogger("yuki_client").level == logging.DEBUG, "the client logs as before afterwards"
