"""Who may see and change what (the roles in docs/vendors/loket.md, "Authorisation"). Views call these; they never test roles themselves."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.models import Domain, PortalMembership, PortalRole


def portal_role(user) -> str | None:
    if not user.is_authenticated:
        return None
    membership = getattr(user, "portal_membership", None)
    return membership.role if membership else None


def is_portal_administrator(user) -> bool:
    return portal_role(user) == PortalRole.ADMINISTRATOR


def can_manage_portal_settings(user) -> bool:
    """Portaalbeheerder and Portaal backoffice: portal settings and the payroll sources' portal-wide connections."""
    return portal_role(user) in (PortalRole.ADMINISTRATOR, PortalRole.BACKOFFICE)


def can_manage_users(user) -> bool:
    return is_portal_administrator(user)


def can_manage_domains(user) -> bool:
    """Creating domains and switching their payroll link feature (the contract) on or off."""
    return is_portal_administrator(user)


def can_view_audit_log(user) -> bool:
    return is_portal_administrator(user)


def has_access(user) -> bool:
    """Anyone without a portal role or a domain role has no access at all."""
    if not user.is_authenticated:
        return False
    return portal_role(user) is not None or user.domain_memberships.exists()


def visible_domains(user) -> QuerySet[Domain]:
    if can_manage_portal_settings(user):
        return Domain.objects.all()
    if not user.is_authenticated:
        return Domain.objects.none()
    return Domain.objects.filter(memberships__user=user)


def editable_domains(user) -> QuerySet[Domain]:
    """The domains whose administrations the user may set up (one query, for lists)."""
    if is_portal_administrator(user):
        return Domain.objects.all()
    if not user.is_authenticated:
        return Domain.objects.none()
    return Domain.objects.filter(memberships__user=user)


def can_view_domain(user, domain: Domain) -> bool:
    return visible_domains(user).filter(pk=domain.pk).exists()


def can_edit_domain(user, domain: Domain) -> bool:
    """docs/vendors/loket.md, "Per administration": only a Portaalbeheerder or a Backoffice of the domain sets up its administrations.

    A portal backoffice sees every domain but changes only those where it is backoffice too.
    """
    if is_portal_administrator(user):
        return True
    if not user.is_authenticated:
        return False
    return domain.memberships.filter(user=user).exists()


def would_leave_no_administrator(user, *, role: str | None, is_active: bool) -> bool:
    """True when giving `user` this role and active state leaves the portal without an active administrator.

    The portal always keeps one: without it nobody can manage users, domains or the audit log again.
    """
    if role == PortalRole.ADMINISTRATOR and is_active:
        return False
    others = PortalMembership.objects.filter(role=PortalRole.ADMINISTRATOR, user__is_active=True)
    if user.pk is not None:
        others = others.exclude(user_id=user.pk)
    return not others.exists()
