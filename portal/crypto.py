"""Secrets at rest: Fernet with a list of keys (newest first), so keys can be rotated."""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

PREFIX = "fernet:"


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.SECRET_ENCRYPTION_KEYS))


def encrypt(plain: str) -> str:
    return PREFIX + fernet().encrypt(plain.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise ValueError("stored secret is not encrypted")
    try:
        return fernet().decrypt(stored[len(PREFIX):].encode()).decode()
    except InvalidToken as exc:
        raise ValueError(
            "a stored secret cannot be decrypted: is its key missing from SECRET_ENCRYPTION_KEYS?"
        ) from exc


def rotate(stored: str) -> str:
    """Re-encrypt with the newest key (for `manage.py rotate_secrets`)."""
    return PREFIX + fernet().rotate(stored[len(PREFIX):].encode()).decode()
