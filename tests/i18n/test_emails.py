"""Notices by e-mail: each recipient gets the e-mail's own words in the language they chose; the notice
itself (what the import wrote) is in the portal's language, as in the run log."""

import pytest
from django.core import mail

from portal import notifications, tasks
from portal.languages import choose_language
from portal.models import PortalRole
from tests.i18n.language_check import foreign_words
from tests.people import make_user


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


@pytest.mark.django_db
def test_what_a_task_writes_is_in_the_portals_language_whoever_started_it(acme_admin,
                                                                         django_capture_on_commit_callbacks):
    """An English person's 'Import now' in an eager run writes the run's result in Dutch, like a worker."""
    from django.utils import translation

    from payrollsync.celery import app as celery_app
    from portal.imports import runs
    from portal.models import RunTrigger

    acme_admin.domain.payroll_link_active = False  # the run stops at once, with the reason in its result
    acme_admin.domain.save()
    run = runs.create_run(acme_admin, trigger=RunTrigger.MANUAL, plan={})
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
            tasks.enqueue(run)
            assert translation.get_language() == "en", "the request's language is back after the task"
    finally:
        celery_app.conf.task_always_eager = previous
    run.refresh_from_db()
    assert run.result and not foreign_words(run.result, "nl"), run.result
