"""Loket's part of the administration form: the employer (client number and loonheffingennummer) and the
switch for the portal's Loket access (docs/vendors/loket.md, "Per administration")."""

from __future__ import annotations

from integrations.loket.models import LoketLink, link_of
from portal.forms.parts import AdministrationFormPart
from portal.models.domains import normalize_wage_tax_number
from portal.validators import clean_client_number

# People type the loonheffingennummer with dots and spaces ("8123.45.678.L.01"): the form takes that
# length and stores it normalised (12 characters).
TYPED_WAGE_TAX_NUMBER_LENGTH = 20


class LoketAdministrationForm(AdministrationFormPart):
    fields = ("relation_code", "wage_tax_number", "use_portal_loket_access")
    link_fields = {"use_portal_loket_access": "use_portal_access"}
    cleaners = {"relation_code": clean_client_number, "wage_tax_number": normalize_wage_tax_number}

    def link(self, administration) -> LoketLink:
        return link_of(administration)

    def configure(self, form) -> None:
        field = form.fields["wage_tax_number"]
        field.max_length = TYPED_WAGE_TAX_NUMBER_LENGTH
        field.widget.attrs["maxlength"] = TYPED_WAGE_TAX_NUMBER_LENGTH
        field.validators = [v for v in field.validators if type(v).__name__ != "MaxLengthValidator"]
