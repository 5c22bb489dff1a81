from django.db import models

from portal import crypto


class EncryptedTextField(models.TextField):
    """A text field stored encrypted; Python code sees plain text, the database never does.

    Empty means "not set" and is stored as "" (nothing to hide). Never put one in a form as is:
    use portal.forms.secrets.SecretFormField, which does not render the value back.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        if not value:
            return ""
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return ""
        return crypto.encrypt(value)
