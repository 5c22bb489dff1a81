from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.sources import registry


class AssignedEmployer(models.Model):
    """An employer the portal's shared vendor access may reach for one domain (README "Roles").

    The portal's own connection to a payroll source sees every employer of the firm. A domain's
    administrations that use it reach only the employers a portal administrator assigned here; the
    rule lives in portal/sources/shared_access.py and each source says how an employer is identified
    (`number`: a client number or company ID; `wage_tax_number`: the loonheffingennummer, blank for a
    source that does not need it). An employer belongs to one domain at most.
    """

    domain = models.ForeignKey("portal.Domain", on_delete=models.CASCADE, related_name="assigned_employers",
                               verbose_name=_("domain"))
    source = models.CharField(_("payroll source"), max_length=registry.SOURCE_KEY_LENGTH, choices=registry.source_choices)
    number = models.CharField(_("number"), max_length=20)
    wage_tax_number = models.CharField(_("wage tax number (loonheffingennummer)"), max_length=12, blank=True)
    name = models.CharField(_("employer name"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source", "name", "number"]
        verbose_name = _("assigned employer")
        verbose_name_plural = _("assigned employers")
        constraints = [
            models.UniqueConstraint(fields=["source", "number", "wage_tax_number"],
                                    name="employer_assigned_to_one_domain"),
        ]

    def __str__(self):
        wage_tax = f" / {self.wage_tax_number}" if self.wage_tax_number else ""
        return f"{self.name} ({self.number}{wage_tax})"
