"""The second login step and setting up an authenticator app (portal/two_factor.py has the rules).

/login/code/   after the password: the app's code or a recovery code.
/login/setup/  after the password, for a portal administrator without an app: set one up first.
/profile/two-factor/ ... the same set-up for a logged-in person, new recovery codes, switching it off.
"""

from __future__ import annotations

import django_otp
import segno
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from portal import two_factor
from portal.languages import language_of
from portal.views.access import portal_view
from portal.views.auth import locked_out


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=32, strip=True,
                           help_text=gettext_lazy("The 6 digits your authenticator app shows now, or one of "
                                                  "your recovery codes."),
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                                         "inputmode": "text", "spellcheck": "false"}))


class RemoveForm(CodeForm):
    """On the profile page, among other forms: no autofocus."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.pop("autofocus", None)


class SetupForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code from the app"), max_length=16, strip=True,
                           help_text=gettext_lazy("The 6 digits the app shows for the portal."),
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                         "spellcheck": "false"}))


def _locked(request, user):
    two_factor.forget(request)
    return locked_out(request, credentials={"username": user.get_username()})


@never_cache
@sensitive_post_parameters("code")
def login_code(request):
    user = two_factor.pending_user(request)
    if user is None:
        return redirect("login")
    if not two_factor.has_second_factor(user):
        return redirect("login_setup")
    with translation.override(language_of(user)):  # not logged in yet, but we know who: their language
        return _login_code(request, user)


def _login_code(request, user):
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        try:
            two_factor.refuse_if_locked(request, user)
        except PermissionDenied:
            return _locked(request, user)
        if form.is_valid():
            device = two_factor.verify(request, user, form.cleaned_data["code"])
            if device is not None:
                next_url = two_factor.complete(request, user, device)
                if device.persistent_id.startswith("otp_static"):
                    messages.warning(request, _("You used a recovery code; %(count)s are left. Make new ones "
                                                "on your profile page.") % {
                                                    "count": two_factor.recovery_codes_left(user)})
                return redirect(next_url)
            try:  # this wrong code may have been the one that locks
                two_factor.refuse_if_locked(request, user)
            except PermissionDenied:
                return _locked(request, user)
            form.add_error("code", _("This code is not right. Try the code your app shows now."))
    return render(request, "registration/login_code.html", {"form": form, "person": user})


def _qr_svg(device) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2, title=_("QR code for your app"))


def _setup(request, user, *, pending: bool):
    device = two_factor.new_authenticator(user)
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.confirm_authenticator(device, form.cleaned_data["code"]):
            codes = two_factor.new_recovery_codes(user)
            if pending:
                next_url = two_factor.complete(request, user, device)
            else:
                django_otp.login(request, device)  # this session has just proven the new app
                next_url = reverse("portal:profile")
            return render(request, "registration/recovery_codes.html", {"codes": codes, "next_url": next_url,
                                                                         "just_set_up": True})
        form.add_error("code", _("This code is not right. Check that the app shows the code for the portal "
                                 "and that your phone's clock is right, and try again."))
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "registration/two_factor_setup.html", {
        "form": form, "qr": mark_safe(_qr_svg(device)), "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "pending": pending, "required": two_factor.required(user)})


@never_cache
@sensitive_post_parameters("code")
def login_setup(request):
    """A portal administrator without an app sets one up before the login completes."""
    user = two_factor.pending_user(request)
    if user is None:
        return redirect("login")
    if two_factor.has_second_factor(user):
        return redirect("login_code")
    with translation.override(language_of(user)):
        return _setup(request, user, pending=True)


@portal_view()
@sensitive_post_parameters("code")
def profile_setup(request):
    if two_factor.has_second_factor(request.user):
        return redirect("portal:profile")
    return _setup(request, request.user, pending=False)


@require_POST
@portal_view()
def profile_recovery_codes(request):
    if not two_factor.has_second_factor(request.user):
        return redirect("portal:profile")
    return render(request, "registration/recovery_codes.html", {
        "codes": two_factor.new_recovery_codes(request.user), "next_url": reverse("portal:profile")})


@require_POST
@portal_view()
@sensitive_post_parameters("code")
def profile_remove(request):
    user = request.user
    if two_factor.required(user):
        messages.error(request, _("As a portal administrator you cannot switch the second step off."))
        return redirect("portal:profile")
    form = RemoveForm(request.POST)
    if form.is_valid() and two_factor.verify(request, user, form.cleaned_data["code"]) is not None:
        two_factor.remove(user)
        messages.success(request, _("The second login step is switched off."))
    else:
        messages.error(request, _("The second login step is still on: the code was not right."))
    return redirect("portal:profile")


def two_factor_context(user) -> dict:
    """What the profile page shows about the second step."""
    return {"two_factor_on": two_factor.has_second_factor(user), "two_factor_required": two_factor.required(user),
            "recovery_codes_left": two_factor.recovery_codes_left(user), "remove_form": RemoveForm()}
