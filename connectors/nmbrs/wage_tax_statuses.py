"""Which wage tax returns a status filter takes: Nmbrs's status texts as stages, in one table.

`WageTax_GetList` gives every return with a free-text `Status` and cannot filter (see
docs/vendors/nmbrs.md). The only status text the public material shows is the Dutch "Verzonden"
(the REST API's example for wage tax returns); the others below are our guesses, Dutch and English,
until a real account shows its texts. A filter takes the returns whose status is that stage, in any
of its spellings, and no other: the Nmbrs guide says only returns "with the status 'locked'" are
fetched by default (docs/vendors/nmbrs.md), so a later stage is not taken on its own.
A text not in the table is never taken and is reported by the caller (`unknown`), so a real
account's own words show up on the first import instead of silently fetching nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from connectors.documents import WaitReason

PREPARING, LOCKED, SENT, ACCEPTED = 0, 1, 2, 3

STAGES: dict[str, int] = {
    # still being prepared (guesses)
    "initial": PREPARING, "aangemaakt": PREPARING, "concept": PREPARING, "open": PREPARING,
    # locked, ready to send (guesses; the Nmbrs guide names the filter "locked", docs/vendors/nmbrs.md)
    "locked": LOCKED, "vergrendeld": LOCKED, "gereed": LOCKED, "definitief": LOCKED,
    # sent: "Verzonden" is the REST API's example; "sent externally" has its own SOAP operation
    # (WageTax_SetSentExternal) whose status text is not public
    "verzonden": SENT, "sent": SENT, "sent external": SENT, "sent as external": SENT, "extern verzonden": SENT,
    # accepted by the tax authority (guesses)
    "accepted": ACCEPTED, "geaccepteerd": ACCEPTED, "ontvangen": ACCEPTED,
}

# The portal's filter values (fetch by status, default 'locked'; docs/vendors/nmbrs.md) -> the stage taken.
FILTERS: dict[str, int] = {"locked": LOCKED, "sent": SENT, "accepted": ACCEPTED}


def stage(status: str) -> int | None:
    """The stage of a status text, or None when the text is not in the table."""
    return STAGES.get(" ".join((status or "").replace("_", " ").split()).lower())


def taken(status: str, wanted: str) -> bool:
    """Whether a return with `status` is taken by the filter `wanted` (a FILTERS key, or a status text
    to match literally)."""
    wanted_stage = FILTERS.get(wanted.strip().lower())
    if wanted_stage is None:
        return " ".join(status.split()).lower() == " ".join(wanted.split()).lower()
    return stage(status) == wanted_stage


def unknown(status: str) -> bool:
    return stage(status) is None


def why_not_taken(status: str, wanted: Iterable[str]) -> WaitReason:
    """Why a return with `status` is not taken by the filters `wanted`: an unknown text; a stage before
    the one wanted (it may still get there: booked by a later import); or a stage the settings do
    not select (past it, or a filter that names another text)."""
    if unknown(status):
        return WaitReason.UNKNOWN_STATUS
    stages = [FILTERS.get(w.strip().lower()) for w in wanted]
    if stages and None not in stages and stage(status) < min(stages):
        return WaitReason.NOT_FINAL
    return WaitReason.FILTERED
