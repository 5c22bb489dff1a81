"""The one rule for the portal's shared vendor access (README "Roles", "The portal's shared access
reaches only a domain's assigned employers").

The portal's own connection to a payroll source (its vendor login) reaches every employer of the firm. An
administration that uses them reaches only the employers a portal administrator assigned to its
domain (portal.models.AssignedEmployer); an administration's own login at the source is not limited.
Each source says which switch means "shared" and how its employer is identified (the PayrollSource
protocol: uses_shared_access, employer_of, employer_id). The engine asks `refusal` before every
fetch (portal/imports/sources.py) and the scheduler before queueing (portal/scheduling.py); the
source's own pages filter what they list with `visible`/`is_assigned`.

`guard` is the one gate before a call to a source made for an administration: the sources' checks,
deep check and fetch sessions, and the pages that test or read a source, get their employer from it.
A check never picks an employer by itself: without an employer the administration may reach, it says
so and nothing is read.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from portal.models import AssignedEmployer
from portal.sentences import fill
from portal.sources.base import EmployerId, SourceUnavailable
from portal.sources.registry import source_of


def uses_shared_access(administration, source=None) -> bool:
    source = source or source_of(administration)
    return source.uses_shared_access(administration)


def assigned(domain, source_key: str):
    """The employers assigned to `domain` for this source (a queryset)."""
    return AssignedEmployer.objects.filter(domain=domain, source=source_key)


def is_assigned(domain, source_key: str, employer: EmployerId | None) -> bool:
    if employer is None:
        return False
    return assigned(domain, source_key).filter(number=employer.number,
                                               wage_tax_number=employer.wage_tax_number).exists()


def visible(administration, employers: Iterable[EmployerId]) -> set[EmployerId]:
    """Which of `employers` this administration's access may show: all of them on its own access,
    only the domain's assigned ones on the portal's shared access."""
    employers = set(employers)
    source = source_of(administration)
    if not uses_shared_access(administration, source):
        return employers
    allowed = {EmployerId(number, wage_tax) for number, wage_tax in assigned(administration.domain, source.key)
               .values_list("number", "wage_tax_number")}
    return employers & allowed


def refusal(administration) -> str:
    """'' when the administration may fetch for its employer; else why not, in the user's language."""
    source = source_of(administration)
    if not uses_shared_access(administration, source):
        return ""
    employer = source.employer_of(administration)
    if employer is None:
        return ""  # nothing to reach yet (the source's own checks say what is missing)
    if is_assigned(administration.domain, source.key, employer):
        return ""
    return _("The employer %(employer)s is not assigned to the domain %(domain)s. The portal's shared %(source)s "
             "access only fetches for the employers a portal administrator assigned to the domain: ask a portal "
             "administrator to assign it, or use your own %(source)s access.") % {
        "employer": " / ".join(part for part in employer if part), "domain": administration.domain.name,
        "source": source.name}


class EmployerRefused(SourceUnavailable):
    """No call to the source for this administration: its employer is missing or may not be reached.
    Permanent until a person changes the administration or the assignment."""

    def __init__(self, message: str):
        super().__init__(message, transient=False)


def guard(administration) -> EmployerId:
    """The employer a call to the source for `administration` may be about; raises EmployerRefused when
    there is none it may reach."""
    if refused := refusal(administration):
        raise EmployerRefused(refused)
    employer = source_of(administration).employer_of(administration)
    if employer is None:
        raise EmployerRefused(no_employer_text(administration))
    return employer


def refusal_to_check(administration) -> str:
    """'' when a check may call the source for this administration; else what `guard` refuses with."""
    try:
        guard(administration)
    except EmployerRefused as exc:
        return exc.message
    return ""


def no_employer_text(administration) -> str:
    source = source_of(administration)
    return _("No %(source)s employer is set for %(name)s yet, so nothing was read at %(source)s: enter the "
             "employer on the administration page first.") % {"source": source.name, "name": administration.name}


def assign_for_administrator(user, administration, name: str) -> str:
    """A portal administrator is not limited: when they set an administration on the shared access to an
    employer no domain has, it is assigned to the administration's domain (audited). Returns what to
    tell them ('' when nothing was to do); an employer of another domain stays there, and its imports
    are refused until it is moved."""
    from portal import auditing, permissions
    from portal.models.audit import AuditAction

    source = source_of(administration)
    employer = source.employer_of(administration)
    if not permissions.is_portal_administrator(user) or not uses_shared_access(administration, source) \
            or employer is None:
        return ""
    taken = AssignedEmployer.objects.select_related("domain").filter(
        source=source.key, number=employer.number, wage_tax_number=employer.wage_tax_number).first()
    domain = administration.domain
    if taken is not None:
        if taken.domain_id == domain.pk:
            return ""
        return _("Note: the employer %(employer)s is assigned to the domain %(other)s, so imports of %(name)s "
                 "through the portal's shared access are refused until a portal administrator assigns it to "
                 "%(domain)s.") % {"employer": str(taken), "other": taken.domain.name, "name": administration.name,
                                   "domain": domain.name}
    assignment = AssignedEmployer.objects.create(domain=domain, source=source.key, number=employer.number,
                                                 wage_tax_number=employer.wage_tax_number, name=name[:200])
    label = _("%(employer)s for domain %(domain)s") % {"employer": assignment, "domain": domain.name}
    auditing.record(user, AuditAction.CREATED, assignment, auditing.diff(assignment, None), label=label)
    return fill(_("The employer %(employer)s is now assigned to the domain %(domain)s."), {
        "employer": str(assignment), "domain": domain.name})
