"""Forms of the Nmbrs company linking pages, and Nmbrs' explanations in the user's language.

The credentials form itself is the portal's (portal.forms.settings.NmbrsCredentialsForm).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.sources.messages import user_message


def error_text(error) -> str:
    """What the bookkeeper reads about an Nmbrs error, in the language active now (the English `message`
    is for the logs)."""
    return user_message(error)


class LinkCompanyForm(forms.Form):
    """Link one administration to one of the companies its credentials see (checked again on saving)."""

    company_id = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class ConfirmMatchesForm(forms.Form):
    """The matches found by number, to confirm. Each choice is 'administration pk:company id'; a choice that
    is no longer a match when the form is posted (Nmbrs or the Relatiecodes changed) is refused."""

    links = forms.MultipleChoiceField(
        label=_("Link these administrations"), widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Select at least one administration to link."),
            "invalid_choice": _("The matches changed since the page was shown. Check them again and confirm."),
        },
    )

    def __init__(self, *args, pairs: list[tuple[int, int]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["links"].choices = [(self.value(*pair), self.value(*pair)) for pair in pairs]
        self.fields["links"].initial = [self.value(*pair) for pair in pairs]

    @staticmethod
    def value(administration_pk: int, company_id: int) -> str:
        return f"{administration_pk}:{company_id}"

    def chosen(self) -> set[tuple[int, int]]:
        return {tuple(int(part) for part in value.split(":")) for value in self.cleaned_data["links"]}
