from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils.translation import gettext_lazy as _

from portal import crypto


class _Sealed:
    """A secret as read from the database, not yet decrypted (see EncryptedTextField); never the secret."""

    __slots__ = ("stored",)

    def __init__(self, stored: str):
        self.stored = stored

    def __repr__(self):
        return "<sealed secret>"


class _DecryptOnRead(DeferredAttribute):
    """The attribute of an EncryptedTextField: decrypts the stored value on first read, then keeps it."""

    def __get__(self, instance, cls=None):
        value = super().__get__(instance, cls)
        if isinstance(value, _Sealed):
            value = instance.__dict__[self.field.attname] = crypto.decrypt(value.stored)
        return value

    def __set__(self, instance, value):
        # A data descriptor, so reads come through __get__ even once the value is in the instance.
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.TextField):
    """A text field stored encrypted; Python code sees plain text, the database never does.

    Decrypted only when read: a list of a thousand administrations does not decrypt a thousand access
    keys it never shows. A model instance holds the ciphertext until its attribute is first read.
    `values()`/`values_list()` of such a field give that sealed ciphertext, not the secret: read the
    secret from a model instance.

    Empty means "not set" and is stored as "" (nothing to hide). Never put one in a form as is:
    use portal.forms.secrets.SecretFormField, which does not render the value back.

    Exports stay encrypted too: `manage.py dumpdata` (every format) writes the ciphertext, and
    `loaddata` with the same SECRET_ENCRYPTION_KEYS turns it back into the working secret (README,
    "Backup and restore").
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    descriptor_class = _DecryptOnRead

    def from_db_value(self, value, expression, connection):
        if not value:
            return ""
        return _Sealed(value)  # decrypted by _DecryptOnRead when the attribute is read

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return ""
        return crypto.encrypt(value)

    def value_to_string(self, obj):
        """What serializers write: the ciphertext (with the newest key), never the secret."""
        plain = self.value_from_object(obj)
        return crypto.encrypt(plain) if plain else ""

    def to_python(self, value):
        """A serialized ciphertext (loaddata) becomes the secret again; plain text stays as it is.

        Only our own keys open a ciphertext, so a typed value is never mistaken for one; a ciphertext
        our keys cannot open is refused rather than stored as if it were the secret.
        """
        value = super().to_python(value)
        if isinstance(value, str) and value.startswith(crypto.PREFIX):
            try:
                return crypto.decrypt(value)
            except ValueError as exc:
                raise ValidationError(
                    _("This encrypted value cannot be opened with the keys in SECRET_ENCRYPTION_KEYS."),
                    code="undecryptable") from exc
        return value
