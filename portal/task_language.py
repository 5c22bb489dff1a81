"""Background work speaks the portal's language (settings.LANGUAGE_CODE), whoever started it.

What a task writes (run results, document histories, notices) is stored and read later by anyone;
pages mark it as written in the portal's language (`data_language`). So a task runs in that language
even when it runs inside a request of someone who chose English (eager Celery), and the request's own
language is back once the task is done."""

from celery.signals import task_postrun, task_prerun
from django.conf import settings
from django.utils import translation

_previous: dict[str, str | None] = {}


@task_prerun.connect(weak=False)
def speak_the_portal_language(task_id=None, **_kwargs) -> None:
    _previous[task_id] = translation.get_language()
    translation.activate(settings.LANGUAGE_CODE)


@task_postrun.connect(weak=False)
def give_the_language_back(task_id=None, **_kwargs) -> None:
    previous = _previous.pop(task_id, None)
    if previous:
        translation.activate(previous)
    else:
        translation.deactivate()
