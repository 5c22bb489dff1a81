from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from portal.sources import registry

DAY_VALIDATORS = [MinValueValidator(1), MaxValueValidator(31)]
# docs/vendors/loket.md: Yuki advises at least seven days between the first and the last import day.
ADVISED_WINDOW_DAYS = 7


class ImportSettings(models.Model):
    """What is imported automatically and on which days (each source's "Schedule" in docs/vendors/).

    Owned either by the portal (PortalSettings.import_settings) or by one administration that does
    not use the portal's settings (Administration.own_import_settings). Which one applies is decided
    in portal.effective.effective_settings, nowhere else.
    """

    auto_import = models.BooleanField(_("import payroll documents automatically"), default=False)
    import_payslips = models.BooleanField(_("payslips"), default=True)
    import_journals = models.BooleanField(_("journal entries"), default=True)
    import_wage_tax_returns = models.BooleanField(_("wage tax returns"), default=True)
    import_sepa_files = models.BooleanField(_("SEPA files"), default=False)
    first_day = models.PositiveSmallIntegerField(
        _("first day of the current month from which documents are imported"),
        default=1,
        validators=DAY_VALIDATORS,
    )
    last_day = models.PositiveSmallIntegerField(
        _("last day of the current month on which documents are imported"),
        default=31,
        validators=DAY_VALIDATORS,
    )

    # What a person sets on the import settings forms (portal.forms.settings.ImportSettingsForm), in this order;
    # a source's own options follow (PayrollSource.import_options, a model of its own app).
    EDITABLE = ("auto_import", "import_payslips", "import_journals", "import_wage_tax_returns", "import_sepa_files",
                "first_day", "last_day")

    class Meta:
        verbose_name = _("import settings")
        verbose_name_plural = _("import settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_day__gte=1, first_day__lte=31, last_day__gte=1, last_day__lte=31)
                & models.Q(first_day__lte=models.F("last_day")),
                name="import_window_days_valid",
            )
        ]

    def __str__(self):
        return f"import days {self.first_day}-{self.last_day}, automatic: {self.auto_import}"

    def clean(self):
        super().clean()
        if self.first_day and self.last_day and self.first_day > self.last_day:
            raise ValidationError(
                {"last_day": _("The last day must be on or after the first day.")}, code="window_order"
            )

    def window_warning(self) -> str:
        """Yuki's advice (docs/vendors/loket.md, "Schedule"), shown as a warning (a shorter window is allowed)."""
        if self.first_day and self.last_day and self.last_day - self.first_day < ADVISED_WINDOW_DAYS:
            return _(
                "Yuki advises leaving at least seven days between the first and the last import day."
            )
        return ""



class PortalSettings(models.Model):
    """One row per installation: the portal's import settings; each source keeps the portal's shared access
    in its own app, linked to this row (integrations/<source>/models.py)."""

    import_settings = models.OneToOneField(ImportSettings, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("portal settings")
        verbose_name_plural = _("portal settings")

    def __str__(self):
        return str(_("Portal settings"))

    def save(self, *args, **kwargs):
        self.pk = 1  # a singleton: there is one portal per installation
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "PortalSettings":
        """The portal's row with its import settings and the sources' portal-level rows (their shared
        access, their import options: PayrollSource.portal_relations) in one query."""
        existing = cls._with_relations().first()
        if existing:
            return existing
        try:
            # Two first requests at once (make run's browser and worker) both find no row: one creates
            # it, the other's savepoint rolls back (with its import settings) and reads the winner's.
            with transaction.atomic():
                return cls.objects.create(pk=1, import_settings=ImportSettings.objects.create())
        except IntegrityError:
            return cls._with_relations().get(pk=1)

    @classmethod
    def _with_relations(cls):
        return cls.objects.select_related("import_settings", *registry.portal_relations())
