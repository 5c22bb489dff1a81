import copy

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal import permissions, yuki_check
from portal.forms.import_settings import ImportSettingsForm
from portal.forms.parts import FormSection
from portal.forms.secrets import SecretFieldsMixin
from portal.models import Administration, AssignedEmployer, Domain
from portal.sentences import fill
from portal.sources import registry, shared_access
from portal.sources.base import EmployerId
from portal.validators import IdChoiceField, normalize_guid, validate_guid


class DomainForm(forms.ModelForm):
    class Meta:
        model = Domain
        fields = ["name", "yuki_domain_id", "payroll_link_active"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Domain.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(fill(_("There is already a domain called %(name)s."), {"name": name}))
        return name

    def clean_yuki_domain_id(self):
        value = normalize_guid(self.cleaned_data["yuki_domain_id"])
        validate_guid(value)
        if Domain.objects.filter(yuki_domain_id__iexact=value).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another domain already has this Yuki domain ID."))
        return value


class AdministrationForm(SecretFieldsMixin, forms.ModelForm):
    """An administration's settings. The fields, cards and sub-forms of its payroll source come from the
    sources' parts (portal.forms.parts, PayrollSource.administration_form), asked of the registry when a
    form is built: the form itself names no source."""

    yuki_check = None  # the check with Yuki on save (portal/yuki_check.py), when one was made

    secret_fields = ("yuki_access_key",)
    own_sections = {"own_import": FormSection("use_portal_import_settings", when=False)}

    class Meta:
        model = Administration
        fields = ["name", "yuki_administration_id", "yuki_access_key", "source", "use_portal_import_settings"]

    def __init__(self, *args, user=None, **kwargs):
        self.parts = registry.administration_form_parts()
        shown_by = {}  # field -> the sources showing it, in registry order
        for key, part in self.parts:
            for name in part.fields:
                shown_by.setdefault(name, []).append(key)
        # The sources' fields go between the choice of source and the last switch; this form's Meta
        # (which ModelForm reads for initial values and for what it writes on the instance) gets them too.
        generic = list(self._meta.fields)
        self._meta = copy.copy(self._meta)
        self._meta.fields = [*generic[:generic.index("source") + 1], *shown_by, *generic[generic.index("source") + 1:]]
        super().__init__(*args, **kwargs)
        for name, keys in shown_by.items():
            if (owner := self._link_owner(name)) is not None:  # a field of a source's link model
                link = owner.link(self.instance)
                self.fields[name] = type(link)._meta.get_field(owner.link_fields[name]).formfield()
                self.initial[name] = getattr(link, owner.link_fields[name])
            else:
                self.fields[name] = Administration._meta.get_field(name).formfield()
            self.fields[name].sources = keys  # rendered as data-sources (templates/includes/form_fields.html)
        self.order_fields(self._meta.fields)
        if self.instance.yuki_administration_name:
            self.fields["yuki_administration_id"].help_text = _("In Yuki: %(name)s") % {
                "name": self.instance.yuki_administration_name}
        self.sections = dict(self.own_sections)
        for _key, part in self.parts:
            self.sections.update(part.sections)
            part.configure(self)
        # A domain user on the portal's shared access picks the employer (portal/sources/shared_access.py).
        self.picks_employer = user is not None and not permissions.is_portal_administrator(user)
        if self.picks_employer:
            self.fields["shared_employer"] = SharedEmployerField(self.instance)
            picked = picked_fields()
            typed = [name for name in self.fields if name in picked]
            after = list(self.fields).index(typed[-1]) + 1 if typed else len(self.fields) - 1
            self.order_fields([*list(self.fields)[:after], "shared_employer"])

    def _link_owner(self, name: str):
        """The source part whose link model holds the form field `name` (AdministrationFormPart.link_fields)."""
        return next((part for _key, part in self.parts if name in part.link_fields), None)

    def links(self) -> list:
        """Each source's link of the administration with the form's link fields on it, to save (audited, in
        the administration's entry: auditing.save_audited's parts) after the administration and after the
        sources' sub-forms put what they saved on the links."""
        links = []
        # Only the chosen source's: the other sources' switches are not on the page for this source (an absent
        # checkbox reads as "off"), so applying them would change, and log, what the person never saw.
        source = self.cleaned_data.get("source", self.instance.source)
        for key, part in self.parts:
            if not part.link_fields or key != source:
                continue
            link = part.link(self.instance)
            link.administration = self.instance
            for name, field in part.link_fields.items():
                if name in self.cleaned_data:
                    setattr(link, field, self.cleaned_data[name])
            links.append(link)
        return links

    def section_applies(self, name: str) -> bool:
        return self.sections[name].applies(self)

    def section_states(self) -> dict[str, dict]:
        """For the template: per section whether it applies now and the switch the script watches."""
        return {name: {"applies": section.applies(self), "show_when": section.show_when, "source": section.source}
                for name, section in self.sections.items()}

    def source_sub_forms(self, data) -> dict[str, tuple]:
        """The sources' sub-forms: section name -> (part, form); a form is bound only while its section counts."""
        return {name: (part, part.sub_form(name, self.instance, data if section.applies(self) else None))
                for _key, part in self.parts for name, section in part.sections.items() if section.form}

    def source_templates(self) -> list[str]:
        """The templates of the sources' own cards, in registry order."""
        return [part.template for _key, part in self.parts if part.template]

    def _clean_source_fields(self, cleaned) -> None:
        """The sources' cleaners on the fields they show: the chosen source's own cleaner where it has one,
        else those of the sources showing the field (a hidden field is still sent: it is kept cleaned)."""
        chosen = cleaned.get("source")
        for name in [name for name in cleaned if any(name in part.cleaners for _key, part in self.parts)]:
            cleaners = [part.cleaners[name] for key, part in self.parts if key == chosen and name in part.cleaners]
            if not cleaners:
                cleaners = list(dict.fromkeys(part.cleaners[name] for _key, part in self.parts if name in part.cleaners))
            try:
                for cleaner in cleaners:
                    cleaned[name] = cleaner(cleaned[name])
            except ValidationError as error:
                self.add_error(name, error)

    def _update_errors(self, errors):
        # The model's "<source> needs the client number" (the source's validate_administration) only repeats,
        # wrongly, what the form already said about a value it refused (a refused value never reaches the
        # model): keep the form's message.
        if hasattr(errors, "error_dict"):
            for field in [f for f in errors.error_dict if f in self._errors]:
                del errors.error_dict[field]
            if not errors.error_dict:
                return
        super()._update_errors(errors)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Administration.objects.filter(domain_id=self.instance.domain_id, name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(fill(_("This domain already has an administration called %(name)s."),
                                             {"name": name}))
        return name

    def clean_yuki_administration_id(self):
        value = normalize_guid(self.cleaned_data.get("yuki_administration_id"))
        validate_guid(value)
        taken = Administration.objects.filter(domain_id=self.instance.domain_id,
                                              yuki_administration_id__iexact=value)
        if value and taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another administration in this domain already has this Yuki "
                                          "administration ID."))
        return value

    def clean(self):
        cleaned = super().clean()
        self._clean_source_fields(cleaned)
        for key, part in self.parts:  # on the links now (unsaved), for the model's check of what a source needs
            for name, field in part.link_fields.items():
                if name in cleaned and key == cleaned.get("source", self.instance.source):
                    setattr(part.link(self.instance), field, cleaned[name])
        if not cleaned.get("yuki_access_key"):
            self.add_error("yuki_access_key", _("Yuki needs the access key (API key) of this administration."))
        if self.picks_employer:
            self._take_picked_employer(cleaned)
        if not self.errors:
            self._check_with_yuki(cleaned)
        return cleaned

    def _check_with_yuki(self, cleaned) -> None:
        """A new or changed access key or administration ID is checked with Yuki before it is saved
        (portal/yuki_check.py): refused with Yuki's reason, or saved with the administration's name in Yuki;
        unchecked (budget used up, Yuki unreachable) it is saved, and the view says so."""
        key, administration_id = cleaned.get("yuki_access_key"), cleaned.get("yuki_administration_id")
        changed = (key != self.instance.yuki_access_key
                   or administration_id != self.instance.yuki_administration_id)
        if not (key and administration_id) or not (changed or not self.instance.yuki_administration_name):
            return
        self.yuki_check = yuki_check.verify(self.instance.domain, key, administration_id)
        if self.yuki_check.verdict == yuki_check.Verdict.REFUSED:
            self.add_error(self.yuki_check.form_field, self.yuki_check.message)
        else:
            self.instance.yuki_administration_name = self.yuki_check.name

    def _take_picked_employer(self, cleaned) -> None:
        """On the portal's shared access the picked employer's numbers replace what was typed."""
        if cleaned.get("source") not in registry.SOURCES:
            return
        source = registry.get(cleaned["source"])
        if not (source.shared_access_switch and cleaned.get(source.shared_access_switch)):
            return  # their own login or credentials: the typed numbers are theirs to use
        fields = source.employer_fields(EmployerId("", ""))
        if not fields:
            return  # the source links its employer on a page of its own, from the assigned ones
        employer = cleaned.get("shared_employer")
        if employer is None and self._typed_employer_is_assigned(source, cleaned, fields):
            return  # typed (or kept from before) exactly as a portal administrator assigned it
        if employer is None or employer.source != source.key or employer.domain_id != self.instance.domain_id:
            self.add_error("shared_employer", _(
                "With the portal's shared %(source)s access, pick the employer from the list of employers a portal "
                "administrator assigned to this domain (or use your own %(source)s access).") % {"source": source.name})
            return
        for field, value in source.employer_fields(EmployerId(employer.number, employer.wage_tax_number)).items():
            cleaned[field] = value
            self.errors.pop(field, None)  # what was typed there is not used

    def _typed_employer_is_assigned(self, source, cleaned, fields) -> bool:
        if any(field in self.errors for field in fields):
            return False
        probe = copy.copy(self.instance)
        for field in fields:
            setattr(probe, field, cleaned.get(field) or "")
        return shared_access.is_assigned(self.instance.domain, source.key, source.employer_of(probe))


def picked_on_this_form() -> list[str]:
    """The sources whose employer is set on the administration form (the others link it on a page of their own)."""
    return [source.key for source in registry.all_sources()
            if source.shared_access_switch and source.employer_fields(EmployerId("", ""))]


def picked_fields() -> set[str]:
    """The administration form's fields that a picked employer fills in."""
    return {field for key in picked_on_this_form() for field in registry.get(key).employer_fields(EmployerId("", ""))}


class SharedEmployerField(IdChoiceField):
    def __init__(self, administration: Administration):
        domain_id = administration.domain_id
        super().__init__(
            queryset=AssignedEmployer.objects.filter(domain_id=domain_id, source__in=picked_on_this_form())
            .order_by("source", "name"),
            required=False, label=_("Employer (portal's shared access)"),
            empty_label=_("– pick an employer –"),
            help_text=_("With the portal's shared access you pick one of the employers a portal administrator "
                        "assigned to this domain; its numbers are used instead of the ones typed above."))
        current = registry.get(administration.source).employer_of(administration) \
            if administration.pk and administration.source in registry.SOURCES else None
        if current is not None:
            self.initial = self.queryset.filter(source=administration.source, number=current.number,
                                                wage_tax_number=current.wage_tax_number).first()

    def label_from_instance(self, obj) -> str:
        return f"{obj} – {obj.get_source_display()}"


__all__ = ["AdministrationForm", "DomainForm", "ImportSettingsForm"]
