"""Notices by e-mail: each recipient gets the e-mail's own words in the language they chose; the notice
itself (what the import wrote) is in the portal's language, as in the run log."""

import pytest
from django.core import mail

from portal import notifications
from portal.languages import choose_language
from portal.models import PortalRole
from tests.conftest import make_user
from tests.i18n.language_check import foreign_words


@pytest.mark.django_db
def test_a_repeated_notice_is_mailed_in_each_recipients_language(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_user("alice", PortalRole.ADMINISTRATOR)
    bob = make_user("bob", PortalRole.BACKOFFICE)
    choose_language(bob, "en")
    for _ in range(2):
        notifications.notify(title="Import van Acme B.V.: mislukt", message="Ophalen is mislukt.",
                             key="import-failed-1", link="/runs/7/")
    dutch, english = ([m for m in mail.outbox[-2:] if m.to == [address]][0]
                      for address in ("alice@example.nl", "bob@example.nl"))
    assert dutch.subject.endswith("(2 keer achter elkaar mislukt)"), dutch.subject
    assert english.subject.endswith("(failed 2 times in a row)"), english.subject
    assert "Details: http" in dutch.body and "Details: http" in english.body
    assert not foreign_words(f"{dutch.subject}\n{dutch.body}", "nl")
    framing = english.subject.replace("Import van Acme B.V.: mislukt", "")
    assert not foreign_words(framing, "en"), "the e-mail's own words are English; the notice is data"
