import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.fields import EncryptedTextField
from portal.sources import registry
from portal.sources.registry import SOURCE_KEY_LENGTH

# 9 digits (the employer's RSIN or BSN), the letter L and a 2-digit subnumber 01-99; ASCII digits only
# (Python's \d would also take other scripts' digits).
WAGE_TAX_NUMBER_RE = re.compile(r"([0-9]{9})L(0[1-9]|[1-9][0-9])\Z")


def normalize_wage_tax_number(value: str) -> str:
    """'8123.45.678.l.01' and '812345678 L 01' are how people type it; store '812345678L01'."""
    return re.sub(r"[\s.]", "", value or "").upper()


def passes_eleven_test(digits: str) -> bool:
    """The 11-test of a Dutch RSIN/BSN: 9×d1 + 8×d2 + … + 2×d8 − 1×d9 is divisible by 11."""
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return len(digits) == 9 and sum(w * int(d) for w, d in zip(weights, digits, strict=True)) % 11 == 0


def validate_wage_tax_number(value: str) -> None:
    match = WAGE_TAX_NUMBER_RE.match(value or "")
    if value and match and not passes_eleven_test(match.group(1)):
        raise ValidationError(
            _("This wage tax number (loonheffingennummer) does not exist: its first 9 digits do not pass "
              "the 11-test. Check it against the letter from the Belastingdienst."),
            code="wage_tax_number_check")
    if value and not match:
        raise ValidationError(
            _("A wage tax number (loonheffingennummer) is 9 digits, the letter L and 2 digits (01-99), "
              "for example 812345678L01."),
            code="wage_tax_number",
        )


class Domain(models.Model):
    """A Yuki domain (a client file). It may hold several administrations."""

    name = models.CharField(_("name"), max_length=200)
    yuki_domain_id = models.CharField(_("Yuki domain ID"), max_length=64, unique=True)
    # docs/vendors/loket.md, "The payroll link feature (contract)": without the payroll link feature ("contract") a domain is never imported.
    payroll_link_active = models.BooleanField(_("payroll link feature active"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        # Lists ordered by domain ("To check", the dashboard) can start from the first domains by name.
        indexes = [models.Index(fields=["name"], name="domain_by_name")]
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self):
        return self.name


class Administration(models.Model):
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="administrations",
                               verbose_name=_("domain"))
    name = models.CharField(_("name"), max_length=200)
    yuki_administration_id = models.CharField(_("Yuki administration ID"), max_length=64)
    yuki_access_key = EncryptedTextField(_("Yuki access key (API key)"))
    # The administration's name as Yuki's Administrations call gave it when the key and ID were last
    # checked (portal/yuki_check.py): shown on the form and in messages ("... Yuki-administratie X").
    yuki_administration_name = models.CharField(_("name in Yuki"), max_length=200, blank=True)
    # The registry's keys (portal/sources/registry.py): a new source needs no migration.
    source = models.CharField(_("payroll source"), max_length=SOURCE_KEY_LENGTH, choices=registry.source_choices,
                              default=registry.first_key)
    # Yuki's "Relatiecode" of the administration: the number the payroll sources know the employer by (each
    # source says how it uses it: PayrollSource.employer_of). A source's own state (its access, the company
    # it is linked to) is in its own app's link model (integrations/<source>/models.py).
    relation_code = models.CharField(_("relation code (Relatiecode)"), max_length=20, blank=True)
    wage_tax_number = models.CharField(_("wage tax number (loonheffingennummer)"), max_length=12, blank=True,
                                       validators=[validate_wage_tax_number])

    use_portal_import_settings = models.BooleanField(_("use the portal's import settings"), default=True)
    own_import_settings = models.OneToOneField(
        "portal.ImportSettings", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["domain__name", "name"]
        verbose_name = _("administration")
        verbose_name_plural = _("administrations")
        constraints = [
            models.UniqueConstraint(fields=["domain", "yuki_administration_id"],
                                    name="unique_yuki_administration_per_domain"),
        ]

    def __str__(self):
        return f"{self.name} ({self.domain.name})"

    def clean(self):
        super().clean()
        # The field's validator has checked it already (clean_fields runs first): only normalise here.
        self.wage_tax_number = normalize_wage_tax_number(self.wage_tax_number)
        if self.source in registry.SOURCES:
            if missing := registry.get(self.source).validate_administration(self):
                raise ValidationError(missing)
