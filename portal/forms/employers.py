"""The portal administrator's assignment of employers to a domain (portal/sources/shared_access.py)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.models import AssignedEmployer
from portal.sources import registry


def shared_sources() -> list:
    """The sources that have a shared access of the portal's to limit."""
    return [source for source in registry.all_sources() if source.shared_access_switch]


class AssignEmployerForm(forms.Form):
    source = forms.ChoiceField(label=_("Payroll source"))
    number = forms.CharField(label=_("Employer number"), max_length=20, help_text=_(
        "The number the payroll source knows the employer by: its client number or company ID."))
    wage_tax_number = forms.CharField(label=_("Wage tax number (loonheffingennummer)"), max_length=20,
                                      required=False, help_text=_("When the payroll source also identifies "
                                                                  "the employer by it."))
    name = forms.CharField(label=_("Employer name"), max_length=200)

    def __init__(self, *args, domain, **kwargs):
        super().__init__(*args, **kwargs)
        self.domain = domain
        self.fields["source"].choices = [(source.key, source.label) for source in shared_sources()]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        source = registry.get(cleaned["source"])
        try:
            employer = source.employer_id(cleaned["number"], cleaned.get("wage_tax_number", ""))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
            return cleaned
        cleaned["number"], cleaned["wage_tax_number"] = employer.number, employer.wage_tax_number
        taken = AssignedEmployer.objects.select_related("domain").filter(
            source=source.key, number=employer.number, wage_tax_number=employer.wage_tax_number).first()
        if taken is not None:
            if taken.domain_id == self.domain.pk:
                raise ValidationError(_("This employer is already assigned to this domain."))
            raise ValidationError(_("This employer is assigned to the domain %(domain)s. An employer belongs to "
                                    "one domain: remove it there first.") % {"domain": taken.domain.name})
        return cleaned

    def employer(self) -> AssignedEmployer:
        data = self.cleaned_data
        return AssignedEmployer(domain=self.domain, source=data["source"], number=data["number"],
                                wage_tax_number=data["wage_tax_number"], name=data["name"].strip())
