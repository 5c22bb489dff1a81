"""A correction in words: what changed between the booked version and the new one (the facts of their
fingerprints, connectors.fingerprints.differences), for the history and the document's page."""

from __future__ import annotations

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


def describe(change: dict) -> str:
    """'Brutoloon: EUR 3100.00 → EUR 3110.00', 'J. Jansen (2611-1) amount: 2170.00 → 2177.00'."""
    field = change.get("field", "")
    label = " ".join(str(p) for p in (change.get("item", ""), FIELD_LABELS.get(field, field)) if p)
    values = f"{change.get('before') or '–'} → {change.get('after') or '–'}"
    if not label:
        return values
    return f"{label} {values}" if label.endswith(":") else f"{label}: {values}"


def as_sentence(changes: list[dict] | None) -> str:
    """' Changed: …; …' to follow a correction's message in the history (empty when nothing to say)."""
    if not changes:
        return ""
    return " " + _("Changed: %(changes)s") % {"changes": "; ".join(describe(c) for c in changes)}
