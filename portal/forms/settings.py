from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms.secrets import SecretFieldsMixin
from portal.models import Administration, Domain, ImportSettings, NmbrsCredentials
from portal.models.domains import normalize_wage_tax_number


class ImportSettingsForm(forms.ModelForm):
    class Meta:
        model = ImportSettings
        fields = ["auto_import", "import_payslips", "import_journals", "import_wage_tax_returns",
                  "import_sepa_files", "wage_tax_return_status", "first_day", "last_day"]
        widgets = {
            "first_day": forms.NumberInput(attrs={"min": 1, "max": 31}),
            "last_day": forms.NumberInput(attrs={"min": 1, "max": 31}),
        }

    def window_warning(self) -> str:
        if self.is_bound and not self.is_valid():
            return ""
        return self.instance.window_warning()


class DomainForm(forms.ModelForm):
    class Meta:
        model = Domain
        fields = ["name", "yuki_domain_id", "payroll_link_active"]


class AdministrationForm(SecretFieldsMixin, forms.ModelForm):
    secret_fields = ("yuki_access_key",)

    class Meta:
        model = Administration
        fields = ["name", "yuki_administration_id", "yuki_access_key", "source",
                  "loket_client_number", "wage_tax_number", "use_portal_loket_access",
                  "use_portal_nmbrs_credentials", "use_portal_import_settings"]

    def clean_wage_tax_number(self):
        return normalize_wage_tax_number(self.cleaned_data.get("wage_tax_number", ""))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("yuki_access_key"):
            self.add_error("yuki_access_key", _("Yuki needs the access key (API key) of this administration."))
        return cleaned


class NmbrsCredentialsForm(SecretFieldsMixin, forms.ModelForm):
    secret_fields = ("api_token",)

    class Meta:
        model = NmbrsCredentials
        fields = ["login_email", "api_token", "tenant_key", "tenant_name"]

    def clean_tenant_key(self):
        value = (self.cleaned_data.get("tenant_key") or "").strip().lower()
        # Seed 002: from kantoor.nmbrs.nl the key is 'kantoor'; people paste the whole address.
        for prefix in ("https://", "http://"):
            value = value.removeprefix(prefix)
        value = value.split("/")[0]
        if value.endswith(".nmbrs.nl"):
            value = value[: -len(".nmbrs.nl")]
        if not value or "." in value:
            raise forms.ValidationError(
                _("Enter the part before .nmbrs.nl of your Nmbrs address, e.g. 'kantoor' for kantoor.nmbrs.nl.")
            )
        return value

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("api_token"):
            self.add_error("api_token", _("Enter the API token from your Nmbrs user profile (tab API token)."))
        return cleaned
