"""Access checks for views. The rules themselves live in portal.permissions."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from portal import permissions
from portal.models import Administration, Domain
from portal.validators import parse_id


def id_or_404(value) -> int:
    """A record id from a query or form parameter (portal.validators.parse_id); anything else finds nothing."""
    try:
        return parse_id(value)
    except ValidationError:
        raise Http404 from None


def receives_secrets(view):
    """For a view that receives a password or a secret (an access key, an API token, an OAuth code): no
    error report (the DEBUG page, the e-mail to ADMINS, a log handler) shows its POST parameters or
    the local variables of the view's own frame. Put it above @portal_view."""
    return sensitive_post_parameters()(sensitive_variables()(view))


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


def check_domain(user, domain: Domain, *, edit: bool) -> None:
    """The one answer for an object of a domain: 404 when the user may not see the domain, exactly as
    for an object that does not exist (so nobody can probe which ids exist in other domains); 403 only
    when they see it but may not change it (a portal backoffice on a domain of which it is not backoffice)."""
    if not permissions.can_view_domain(user, domain):
        raise Http404
    if edit and not permissions.can_edit_domain(user, domain):
        raise PermissionDenied


def domain_for(user, pk: int, *, edit: bool) -> Domain:
    domain = get_object_or_404(Domain, pk=pk)
    check_domain(user, domain, edit=edit)
    return domain


def administration_for(user, pk: int, *, edit: bool) -> Administration:
    administration = get_object_or_404(Administration.objects.select_related("domain"), pk=pk)
    domain_for(user, administration.domain_id, edit=edit)
    return administration
