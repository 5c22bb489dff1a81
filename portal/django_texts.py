"""Django's own texts that its Dutch catalog misses, translated in locale/nl instead.

Marked here so that makemessages keeps them in the portal's catalog (a msgid no code uses is dropped
as obsolete). Django 5.2.19 changed the too-short-password message to "%d" while its Dutch catalog
still has the older "%(min_length)d" text, so Django itself shows it in English; the Django admin's
"Error:" has no Dutch either.

`FORMAL_IN_DJANGO`: Django's Dutch says "u"/"uw" where the portal says "je" (the user form's "active"
help text, the password rules and the old-password error): our catalog, read first (LOCALE_PATHS),
says them with "je"."""

from django.utils.translation import gettext_noop, ngettext_lazy

MISSING_IN_DJANGO = (
    ngettext_lazy("This password is too short. It must contain at least %d character.",
                  "This password is too short. It must contain at least %d characters.", 10),
    gettext_noop("Error:"),
)

FORMAL_IN_DJANGO = (
    gettext_noop("Designates whether this user should be treated as active. Unselect this instead of deleting "
                 "accounts."),
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    ngettext_lazy("Your password must contain at least %(min_length)d character.",
                  "Your password must contain at least %(min_length)d characters.", "min_length"),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
)
