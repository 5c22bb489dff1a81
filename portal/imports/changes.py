"""A correction in words: what changed between the booked version and the new one (the facts of their
fingerprints, connectors.fingerprints.differences), for the history and the document's page."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The facts a fingerprint names, as a person calls them; a loonaangifte's element paths and a PDF's own
# words are shown as the document has them.
FIELD_LABELS = {
    "amount": gettext_lazy("amount"),
    "currency": gettext_lazy("currency"),
    "creditor": gettext_lazy("beneficiary"),
    "iban": gettext_lazy("IBAN"),
    "execution_date": gettext_lazy("execution date"),
    "debtor_iban": gettext_lazy("paying account"),
    "pages": gettext_lazy("number of pages"),
    "text": "",
}


# What a fingerprint stores in machine form (an amount "3100.00", a date "2026-11-25") inside a value,
# written again the way the reader writes numbers and dates (3.100,00 and 25-11-2026 in Dutch).
_MACHINE_AMOUNT = re.compile(r"(?<![\w.,])-?\d+\.\d{2}(?![\w.,]?\d)")
_MACHINE_DATE = re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])")


def readable(value: str) -> str:
    """A stored value with its machine-form amounts and dates in the reader's format; other text as is."""
    from portal.templatetags.portal_format import amount, day

    value = _MACHINE_DATE.sub(lambda m: day(m.group()), str(value))
    return _MACHINE_AMOUNT.sub(lambda m: amount(m.group()), value)


def describe(change: dict) -> str:
    """'Brutoloon: EUR 3.100,00 → EUR 3.110,00', 'J. Jansen (2611-1) bedrag: 2.170,00 → 2.177,00'."""
    field = change.get("field", "")
    label = " ".join(str(p) for p in (change.get("item", ""), FIELD_LABELS.get(field, field)) if p)
    values = f"{readable(change.get('before') or '–')} → {readable(change.get('after') or '–')}"
    if not label:
        return values
    return f"{label} {values}" if label.endswith(":") else f"{label}: {values}"


def as_sentence(changes: list[dict] | None) -> str:
    """' Changed: …; …' to follow a correction's message in the history (empty when nothing to say)."""
    if not changes:
        return ""
    return " " + _("Changed: %(changes)s") % {"changes": "; ".join(describe(c) for c in changes)}
