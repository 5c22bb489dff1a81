"""The petty cash page's forms: a file in Yuki's CSV format, or one line (portal/petty_cash.py)."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from portal import petty_cash
from yuki_client import StatementError
from yuki_client import pettycash as rules

# A line typed on the page: a decimal comma (or point), at most two decimals, no thousands separators.
TYPED_AMOUNT = re.compile(r"^-?\d+(?:[.,]\d{1,2})?$")


class StatementUploadForm(forms.Form):
    file = forms.FileField(label=_("Statement file (Yuki CSV)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Worded per request (the reader's language), not once at import.
        self.fields["file"].help_text = _("Columns separated by ';', with Yuki's column headers exactly: "
                                          "%(headers)s.") % {"headers": "; ".join(rules.HEADERS)}


def _no_separator(value: str) -> None:
    if rules.SEPARATOR in value or "\n" in value or "\r" in value:
        raise forms.ValidationError(_("May not contain ';' or a line break."))


class StatementLineForm(forms.Form):
    """One cash transaction: ImportSingleStatementLine, or ImportSingleStatementProjectLine with a project."""

    account = forms.CharField(label=_("Petty cash ledger account"), max_length=5, initial="10000",
                              help_text=_("A 100XX account, e.g. 10000."))
    transaction_date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"},
                                                                                format="%Y-%m-%d"),
                                       input_formats=["%Y-%m-%d", "%d-%m-%Y"])
    description = forms.CharField(label=_("Description"), max_length=rules.MAX_DESCRIPTION,
                                  validators=[_no_separator])
    amount = forms.CharField(label=_("Amount"), max_length=20, help_text=_(
        "Negative for costs (the cash balance goes down), positive for revenue; e.g. -12,50."))
    transaction_code = forms.CharField(label=_("Transaction code"), max_length=rules.MAX_TRANSACTION_CODE,
                                       required=False, validators=[_no_separator])
    offset_account = forms.CharField(label=_("Offset account"), max_length=100, required=False,
                                     validators=[_no_separator], help_text=_(
                                         "Optional: the account or relation code the accountant books it on."))
    offset_name = forms.CharField(label=_("Name of the offset account"), max_length=rules.MAX_NAME, required=False,
                                  validators=[_no_separator], help_text=_("Optional, e.g. the supplier you paid."))
    project_code = forms.CharField(label=_("Project code"), max_length=100, required=False,
                                   validators=[_no_separator], help_text=_(
                                       "Optional. Yuki accepts projects only with the Medium, Large or Unlimited "
                                       "bundle."))
    project_name = forms.CharField(label=_("Project name"), max_length=100, required=False,
                                   validators=[_no_separator])

    def clean_account(self):
        account = self.cleaned_data["account"].strip()
        if not rules.PETTY_CASH_ACCOUNT.match(account):
            raise forms.ValidationError(_("'%(value)s' is not a petty cash account: Yuki requires a 100XX account "
                                          "(e.g. 10000).") % {"value": account})
        return account

    def clean_amount(self):
        value = self.cleaned_data["amount"].strip()
        if not TYPED_AMOUNT.match(value):
            raise forms.ValidationError(_("'%(value)s' is not an amount Yuki accepts: digits with a decimal comma "
                                          "and at most two decimals, no thousands separators (e.g. -1234,50).")
                                        % {"value": value})
        amount = Decimal(value.replace(",", "."))
        if not amount:
            raise forms.ValidationError(_("An amount of 0,00 books nothing."))
        return amount

    def prepared(self) -> petty_cash.Prepared | None:
        """The line as it will be sent, after the client's own checks (None with the form's errors)."""
        if not self.is_valid():
            return None
        data = {name: value.strip() if isinstance(value, str) else value for name, value in self.cleaned_data.items()}
        try:
            return petty_cash.single_line(**data)
        except StatementError as exc:
            self.add_error(None, str(exc))
            return None
