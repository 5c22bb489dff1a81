"""Which language a person reads the portal in: the one place for that rule.

Dutch for everyone (settings.LANGUAGE_CODE), whatever the browser asks for; English only for a person
who chose it on their profile page. Pages without a person (the login) are Dutch.
"""

from django.conf import settings

from portal.models import UserProfile


def language_of(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return settings.LANGUAGE_CODE
    try:
        return user.profile.language
    except UserProfile.DoesNotExist:
        return settings.LANGUAGE_CODE


def choose_language(user, language: str) -> None:
    """Store `language` as the person's choice (their profile page does this; so do tests)."""
    UserProfile.objects.update_or_create(user=user, defaults={"language": language})
