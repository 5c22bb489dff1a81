"""The import settings form (the portal's, and an administration's own), with each source's own options."""

from __future__ import annotations

from django import forms

from portal.models import ImportSettings
from portal.models.settings import ADVISED_WINDOW_DAYS
from portal.sources import registry


class ImportSettingsForm(forms.ModelForm):
    class Meta:
        model = ImportSettings
        fields = list(ImportSettings.EDITABLE)  # a source's own import settings too (the model lists them)
        widgets = {
            "first_day": forms.NumberInput(attrs={"min": 1, "max": 31}),
            "last_day": forms.NumberInput(attrs={"min": 1, "max": 31}),
        }

    def __init__(self, *args, options_from: ImportSettings | None = None, **kwargs):
        """`options_from`: whose options new import settings start from (the portal's, for an own copy)."""
        super().__init__(*args, **kwargs)
        # Each source's own options (PayrollSource.import_options: a model of its app, one row per import
        # settings row), shown before the window days and saved with these settings (option_rows).
        start = self.instance if self.instance.pk or options_from is None else options_from
        self.options = [(model, options_row(start, model)) for model in import_option_models()]
        fields = list(self.fields)
        before_window = fields.index("first_day")
        for model, row in self.options:
            for name in model.EDITABLE:
                self.fields[name] = model._meta.get_field(name).formfield()
                self.initial.setdefault(name, getattr(row, name))
        self.order_fields([*fields[:before_window], *(name for model, _row in self.options for name in model.EDITABLE),
                           *fields[before_window:]])

    def option_rows(self) -> list:
        """The sources' options of these import settings with the form's values on them, to save (audited,
        in the import settings' entry: auditing.save_audited's parts) after the import settings."""
        rows = []
        for model, row in self.options:
            row = model.objects.filter(import_settings=self.instance.pk).first() if self.instance.pk else None
            row = row or model()
            row.import_settings = self.instance
            for name in model.EDITABLE:
                setattr(row, name, self.cleaned_data[name])
            rows.append(row)
        return rows

    def window_warning(self) -> str:
        if self.is_bound and not self.is_valid():
            return ""
        return self.instance.window_warning()

    def window_advice(self) -> dict:
        """Yuki's advice (docs/vendors/loket.md, "Schedule"), on the form next to the window before saving: the page shows it while the
        typed window is shorter than advised (static/portal/portal.js, with `days` from here)."""
        return {"text": ImportSettings(first_day=1, last_day=1).window_warning(), "days": ADVISED_WINDOW_DAYS,
                "shown": bool(self.window_warning())}


def import_option_models() -> list[type]:
    """The sources' models of import options (PayrollSource.import_options), in registry order."""
    return [source.import_options for source in registry.all_sources() if source.import_options is not None]


def options_row(import_settings: ImportSettings, model):
    """The `model` options of these import settings; new ones with its defaults while there are none."""
    row = model.objects.filter(import_settings=import_settings.pk).first() if import_settings.pk else None
    return row or model()
