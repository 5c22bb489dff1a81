"""Django's own texts that its Dutch catalog misses, translated in locale/nl instead.

Marked here so that makemessages keeps them in the portal's catalog (a msgid no code uses is dropped
as obsolete). Django 5.2.19 changed the too-short-password message to "%d" while its Dutch catalog
still has the older "%(min_length)d" text, so Django itself shows it in English; the Django admin's
"Error:" has no Dutch either."""

from django.utils.translation import gettext_noop, ngettext_lazy

MISSING_IN_DJANGO = (
    ngettext_lazy("This password is too short. It must contain at least %d character.",
                  "This password is too short. It must contain at least %d characters.", 10),
    gettext_noop("Error:"),
)
