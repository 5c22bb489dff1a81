"""A source's error in the user's language: the Dutch text when the portal speaks Dutch (the default)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def user_message(exc) -> str:
    dutch = getattr(exc, "user_message_nl", "")
    if dutch and (translation.get_language() or settings.LANGUAGE_CODE).lower().startswith("nl"):
        return dutch
    return getattr(exc, "message", "") or str(exc)
