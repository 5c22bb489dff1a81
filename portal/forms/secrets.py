"""Form handling for secrets: a stored value is never rendered back, only that one is set.

Leaving the input empty keeps the stored value; ticking "clear" removes it; typing replaces it.

A value typed while another field has an error is not lost (nor shown): the re-rendered form carries it
encrypted with the portal's key (portal.crypto) and signed with a short lifetime in a hidden field, and
says so, so the person does not have to type the API token again.
"""

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from portal import crypto

KEPT_SALT = "portal.forms.secrets.kept"
KEPT_MAX_AGE = 3600  # seconds: a form left open longer asks for the value again


def keep(name: str, value: str) -> str:
    return signing.dumps({"field": name, "value": crypto.encrypt(value)}, salt=KEPT_SALT)


def kept(name: str, token: str) -> str:
    """The value `keep` wrapped for field `name`, or "" when the token is not ours, for another field, or old."""
    try:
        data = signing.loads(token, salt=KEPT_SALT, max_age=KEPT_MAX_AGE)
        return crypto.decrypt(data["value"]) if data.get("field") == name else ""
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return ""


class SecretFieldsMixin:
    """For a ModelForm: every name in Meta.secret_fields gets a password input and, right after it, a box
    that clears the stored value and names it."""

    secret_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._kept: dict[str, str] = {}
        fields = {}
        for name, field in self.fields.items():
            if name not in self.secret_fields:
                fields[name] = field
                continue
            stored = bool(getattr(self.instance, name, ""))
            fields[name] = forms.CharField(
                label=field.label,
                required=False,
                strip=True,
                widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
                help_text=_("A value is stored. Leave empty to keep it, or type a new one to replace it.")
                if stored else _("Not set yet."),
            )
            self.initial[name] = ""
            if stored:  # right after the secret it clears
                fields[f"{name}_clear"] = forms.BooleanField(
                    label=_("Remove the stored value of “%(field)s”") % {"field": field.label}, required=False)
            fields[f"{name}_kept"] = forms.CharField(required=False, widget=forms.HiddenInput)
        self.fields = fields
        if self.is_bound:
            self._keep_typed_secrets()

    def order_fields(self, field_order):
        """Django's order_fields, keeping each secret's "remove" box (and its kept value) right after the
        secret: a form that orders its fields by name alone would leave them at the end, far from it."""
        if field_order is not None:
            field_order = [companion for name in field_order for companion in
                           ((name, f"{name}_clear", f"{name}_kept") if name in self.secret_fields else (name,))]
        super().order_fields(field_order)

    def _keep_typed_secrets(self) -> None:
        data = self.data.copy()
        for name in self.secret_fields:
            typed = (data.get(self.add_prefix(name)) or "").strip()
            value = typed or kept(name, data.get(self.add_prefix(f"{name}_kept")) or "")
            data[self.add_prefix(f"{name}_kept")] = keep(name, value) if value else ""
            if value:
                self._kept[name] = value
                self.fields[name].help_text = _("The value you entered is kept (not shown). Leave empty to "
                                                "save it, or type another one.")
        self.data = data

    def clean(self):
        # Subclasses call super().clean() first and then see the value that will be stored.
        cleaned = super().clean()
        for name in self.secret_fields:
            typed = self.cleaned_data.get(name, "") or self._kept.get(name, "")
            if self.cleaned_data.get(f"{name}_clear"):
                self.cleaned_data[name] = ""
            elif typed:
                self.cleaned_data[name] = typed
            else:
                self.cleaned_data[name] = getattr(self.instance, name, "")
        return cleaned
