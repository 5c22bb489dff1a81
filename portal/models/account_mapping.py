from django.db import models
from django.utils.translation import gettext_lazy as _


class YukiAccountMapping(models.Model):
    """A payroll source's general ledger account booked on another account in this administration's Yuki
    chart: for every line, or only for the lines of one cost centre (the more specific one wins).

    Optional: without a mapping a journal is booked on the accounts the payroll source gives
    (portal/account_check.py applies and checks them before anything is sent)."""

    administration = models.ForeignKey("portal.Administration", on_delete=models.CASCADE,
                                       related_name="account_mappings", verbose_name=_("administration"))
    payroll_account = models.CharField(_("payroll account"), max_length=40)
    cost_centre = models.CharField(_("cost centre"), max_length=40, blank=True,
                                   help_text=_("Empty: every line on this account."))
    yuki_account = models.CharField(_("Yuki account"), max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["payroll_account", "cost_centre"]
        verbose_name = _("ledger account mapping")
        verbose_name_plural = _("ledger account mappings")
        constraints = [models.UniqueConstraint(fields=["administration", "payroll_account", "cost_centre"],
                                               name="one_mapping_per_account_and_cost_centre")]

    def __str__(self):
        centre = f" ({self.cost_centre})" if self.cost_centre else ""
        return f"{self.payroll_account}{centre} → {self.yuki_account}"
