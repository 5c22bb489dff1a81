"""One row of an administration's ledger account mapping (portal/account_check.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal import account_check
from portal.models import YukiAccountMapping


def already_mapped(account: str) -> str:
    """Why a mapping cannot be added: the form's check, and the database's when two saves race."""
    return _("Account %(account)s already has a mapping for this cost centre: delete it first.") % {"account": account}


class AccountMappingForm(forms.ModelForm):
    class Meta:
        model = YukiAccountMapping
        fields = ["payroll_account", "cost_centre", "yuki_account"]
        help_texts = {
            "payroll_account": _("The account as the payroll source's journal names it, e.g. 4015."),
            "yuki_account": _("The account in Yuki's chart of accounts that these lines are booked on."),
        }

    def __init__(self, *args, administration, **kwargs):
        super().__init__(*args, **kwargs)
        self.administration = administration
        self.instance.administration = administration

    def clean(self):
        cleaned = super().clean()  # CharFields strip their values themselves
        taken = YukiAccountMapping.objects.filter(administration=self.administration,
                                                  payroll_account=cleaned.get("payroll_account"),
                                                  cost_centre=cleaned.get("cost_centre") or "")
        if cleaned.get("payroll_account") and taken.exists():
            raise forms.ValidationError(already_mapped(cleaned["payroll_account"]))
        chart = account_check.cached_chart(self.administration)
        account = cleaned.get("yuki_account")
        if account and chart and account not in chart:
            self.add_error("yuki_account", _("Yuki's chart of accounts of this administration has no account "
                                             "%(account)s.") % {"account": account})
        return cleaned
