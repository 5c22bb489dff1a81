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
    return _decrypted(tuple(settings.SECRET_ENCRYPTION_KEYS), stored)


@lru_cache(maxsize=1024)
def _decrypted(keys: tuple[str, ...], stored: str) -> str:
    """A worker reads the same access key for every document of an administration it pushes, and
    decrypting costs about as much CPU as the rest of reading the entry (HMAC and AES): each stored
    value is decrypted once per process. The keys are part of what is remembered, so a key taken out of
    SECRET_ENCRYPTION_KEYS stops decrypting at once; failures are not remembered; the plain value stays
    in this process's memory, where it also is while it is used."""
    try:
        return _fernet(keys).decrypt(stored[len(PREFIX):].encode()).decode()
    except InvalidToken as exc:
        raise ValueError(
            "a stored secret cannot be decrypted: is its key missing from SECRET_ENCRYPTION_KEYS?"
        ) from exc


def rotate(stored: str) -> str:
    """Re-encrypt with the newest key (for `manage.py rotate_secrets`)."""
    return PREFIX + fernet().rotate(stored[len(PREFIX):].encode()).decode()
