"""What a payroll source adds to the administration form (PayrollSource.administration_form).

The administration form (portal.forms.settings.AdministrationForm), its view and its template name no
source: they ask the registry for each source's part and put together
- the Administration fields each source shows in the form's first card (a field several sources use is
  shown once, while one of them is chosen: static/portal/portal.js reads `data-sources`),
- how those fields are cleaned (`cleaners`) and adjusted (`configure`),
- the source's own cards (`sections`, rendered by its `template`), each counting only while that source is
  chosen and its switch is in the stated position; a card may hold a sub-form (`sub_form`, `save`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FormSection:
    """A part of the administration form that only counts for one position of a switch and/or one source.

    The one rule for "does this part count": the view validates and saves a section's sub-form only when
    it applies, and the page renders a section that does not apply hidden with its controls disabled
    (a disabled control is never `required` for the browser and is not sent). static/portal/portal.js
    applies the same rule, read from `show_when` and `source`, while the person flips the switches.
    """

    switch: str = ""  # a BooleanField of AdministrationForm
    when: bool = False  # the switch position in which the section counts
    source: str = ""  # only for this payroll source ("" = every source)
    form: str = ""  # the template variable its sub-form is rendered from ('' = it has none)

    def applies(self, form) -> bool:
        if self.source and form["source"].value() != self.source:
            return False
        return not self.switch or bool(form[self.switch].value()) == self.when

    @property
    def show_when(self) -> str:
        return f"id_{self.switch}:{'on' if self.when else 'off'}" if self.switch else ""


class AdministrationFormPart:
    """One source's share of the administration form. Subclass it in integrations/<source>/forms.py."""

    # Administration fields shown in the form's first card while this source is chosen, in this order
    # (the registry's order decides between sources).
    fields: tuple[str, ...] = ()
    # Those of `fields` that are not the Administration's but its link's (the source's own model, one per
    # administration): form field -> field of the model `link(administration)` returns. The form reads them
    # from the link and saves them on it, audited, after the administration.
    link_fields: Mapping[str, str] = {}
    # field -> function(value) -> value: normalises what was typed or raises ValidationError. The chosen
    # source's cleaner applies; a field it does not show keeps the cleaners of the sources that show it.
    cleaners: Mapping[str, Callable[[Any], Any]] = {}
    # The cards of its own: name -> FormSection (with source set to the source's key).
    sections: Mapping[str, FormSection] = {}
    # Renders its cards (gets `sections`, the section states, and each sub-form under FormSection.form).
    template: str = ""

    def configure(self, form) -> None:
        """Adjust the form's fields (widgets, lengths) once the form is built."""

    def link(self, administration):
        """The administration's link (its row of the source's link model; a new one when it has none).
        Only asked when `link_fields` is set."""
        raise NotImplementedError

    def sub_form(self, section: str, administration, data):
        """The form of one of its sections, bound to `data` (None: the section does not count, so the form
        stays unbound). Only asked for sections with `form` set."""
        raise NotImplementedError

    def save(self, user, administration, section: str, form) -> None:
        """Save a valid sub-form (audited) and link what it saved to `administration` (saved after it)."""
        raise NotImplementedError
