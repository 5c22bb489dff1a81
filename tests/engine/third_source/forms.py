"""The test source's part of the administration form: the employer code in the form's first card, and a
card of its own with a sub-form (the office's desk), validated and saved only while it is chosen."""

from __future__ import annotations

from django import forms

from portal.forms.parts import AdministrationFormPart, FormSection
from tests.engine.third_source import vendor
from tests.engine.third_source.models import PaperclipLink, link_of


class DeskForm(forms.Form):
    desk = forms.CharField(label="Desk at the payroll office", max_length=10)

    def clean_desk(self):
        desk = self.cleaned_data["desk"].strip().upper()
        if not desk.startswith("D-"):
            raise forms.ValidationError("A desk is written D-<number>, for example D-12.")
        return desk


class PaperclipAdministrationForm(AdministrationFormPart):
    fields = ("paperclip_employer_code",)  # its employer code, in its own model (models.PaperclipLink)
    link_fields = {"paperclip_employer_code": "employer_code"}
    cleaners = {"paperclip_employer_code": str.strip}  # codes are like "PC-7"
    sections = {"paperclip_desk": FormSection(source=vendor.SOURCE, form="paperclip_form")}
    template = "paperclip/_administration_form.html"

    def link(self, administration) -> PaperclipLink:
        return link_of(administration)

    def sub_form(self, section, administration, data) -> DeskForm:
        return DeskForm(data, prefix="paperclip", initial={"desk": vendor.OFFICE.desks.get(administration.name, "")})

    def save(self, user, administration, section, form) -> None:
        vendor.OFFICE.desks[administration.name] = form.cleaned_data["desk"]
