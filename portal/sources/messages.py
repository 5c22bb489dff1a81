"""A source's error in the bookkeeper's words and language."""

from __future__ import annotations


def user_message(exc) -> str:
    """A source error's `user_message`, translated (gettext, through connectors/texts.py) into the
    language active now; the English `message` only for errors that have none."""
    return str(getattr(exc, "user_message", "") or getattr(exc, "message", "") or exc)
