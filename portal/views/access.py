"""Access checks for views. The rules themselves live in portal.permissions."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from portal import permissions
from portal.models import Administration, Domain
from portal.validators import parse_id


def id_or_404(value) -> int:
    """A record id from a query or form parameter (portal.validators.parse_id); anything else finds nothing."""
    try:
        return parse_id(value)
    except ValidationError:
        raise Http404 from None


def portal_view(check=None):
    """Login required; then any portal access; then `check(user)` if given. Else 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not permissions.has_access(request.user):
                raise PermissionDenied
            if check is not None and not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def domain_for(user, pk: int, *, edit: bool) -> Domain:
    domain = get_object_or_404(Domain, pk=pk)
    allowed = permissions.can_edit_domain(user, domain) if edit else permissions.can_view_domain(user, domain)
    if not allowed:
        raise PermissionDenied
    return domain


def administration_for(user, pk: int, *, edit: bool) -> Administration:
    administration = get_object_or_404(Administration.objects.select_related("domain"), pk=pk)
    domain_for(user, administration.domain_id, edit=edit)
    return administration
