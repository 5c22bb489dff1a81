from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portal import auditing, permissions
from portal.forms.users import UserForm
from portal.models import DomainMembership, PortalMembership, PortalRole
from portal.paging import paginate
from portal.views.access import portal_view, receives_secrets

User = get_user_model()


@portal_view(permissions.can_manage_users)
def user_list(request):
    users = User.objects.order_by("username").select_related("portal_membership").prefetch_related(
        "domain_memberships__domain")
    return render(request, "portal/user_list.html", {"users": paginate(request, users)})


@receives_secrets
@portal_view(permissions.can_manage_users)
def user_create(request):
    return _edit(request, User())


@receives_secrets
@portal_view(permissions.can_manage_users)
def user_edit(request, pk):
    return _edit(request, get_object_or_404(User, pk=pk))


def _edit(request, user):
    is_new = user.pk is None
    # Before the form: its validation already writes the input onto the user object.
    before = None if is_new else _role_snapshot(user)
    form = UserForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        role, active = form.cleaned_data["portal_role"] or None, form.cleaned_data["is_active"]
        if user.pk == request.user.pk and role != PortalRole.ADMINISTRATOR:
            form.add_error("portal_role", _("You cannot take away your own administrator role."))
        elif user.pk == request.user.pk and not active:
            form.add_error("is_active", _("You cannot deactivate your own account."))
        elif not is_new and permissions.would_leave_no_administrator(user, role=role, is_active=active):
            form.add_error(None, _("The portal needs at least one active portal administrator: make someone "
                                   "else administrator first."))
        else:
            with transaction.atomic():
                user = form.save(commit=False)
                if form.cleaned_data["password"]:
                    user.set_password(form.cleaned_data["password"])
                user.save()
                role = form.cleaned_data["portal_role"]
                if role:
                    PortalMembership.objects.update_or_create(user=user, defaults={"role": role})
                else:
                    PortalMembership.objects.filter(user=user).delete()
                domains = set(form.cleaned_data["backoffice_domains"])
                DomainMembership.objects.filter(user=user).exclude(domain__in=domains).delete()
                for domain in domains:
                    DomainMembership.objects.get_or_create(user=user, domain=domain)
                after = _role_snapshot(user)
                changes = {k: {"old": (before or {}).get(k, ""), "new": v} for k, v in after.items()
                           if (before or {}).get(k, "") != v}
                if "portal role" in changes:  # a choice label: translated when read
                    changes["portal role"]["translate"] = True
                if form.cleaned_data["password"]:
                    changes[gettext_noop("password")] = {"old": "", "new": auditing.SECRET_SET, "translate": True}
                auditing.record(request.user, "created" if is_new else "changed", user, changes,
                                label=user.username)
            messages.success(request, _("User %(name)s is saved.") % {"name": user.username})
            return redirect("portal:users")
    return render(request, "portal/user_form.html", {"form": form, "edited_user": user, "is_new": is_new})


def _role_snapshot(user) -> dict:
    """Keys are msgids (the audit page translates them); see portal.auditing."""
    membership = PortalMembership.objects.filter(user=user).first()
    with translation.override("en"):
        role = membership.get_role_display() if membership else ""
    return {
        gettext_noop("username"): user.username,
        gettext_noop("e-mail"): user.email,
        gettext_noop("active"): user.is_active,
        gettext_noop("portal role"): role,
        gettext_noop("backoffice in domains"): ", ".join(
            sorted(DomainMembership.objects.filter(user=user).values_list("domain__name", flat=True))),
    }
