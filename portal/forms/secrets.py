"""Form handling for secrets: a stored value is never rendered back, only that one is set.

Leaving the input empty keeps the stored value; ticking "clear" removes it; typing replaces it.
"""

from django import forms
from django.utils.translation import gettext_lazy as _


class SecretFieldsMixin:
    """For a ModelForm: every name in Meta.secret_fields gets a password input and a clear box."""

    secret_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.secret_fields:
            stored = bool(getattr(self.instance, name, ""))
            original = self.fields[name]
            self.fields[name] = forms.CharField(
                label=original.label,
                required=False,
                strip=True,
                widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
                help_text=_("A value is stored. Leave empty to keep it, or type a new one to replace it.")
                if stored else _("Not set yet."),
            )
            self.initial[name] = ""
            if stored:
                self.fields[f"{name}_clear"] = forms.BooleanField(
                    label=_("Remove the stored value"), required=False
                )

    def secret_is_set(self, name: str) -> bool:
        return bool(getattr(self.instance, name, ""))

    def clean(self):
        # Subclasses call super().clean() first and then see the value that will be stored.
        cleaned = super().clean()
        for name in self.secret_fields:
            typed = self.cleaned_data.get(name, "")
            if self.cleaned_data.get(f"{name}_clear"):
                self.cleaned_data[name] = ""
            elif not typed:
                self.cleaned_data[name] = getattr(self.instance, name, "")
        return cleaned
