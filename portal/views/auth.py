"""Login (throttled by django-axes, see portal/login_throttle.py) and the own-password change.

Product rule for forgotten passwords: a portal administrator sets a new one under Gebruikers (or
`manage.py changepassword` for the last administrator). There is no self-service reset by e-mail:
the portal's e-mail is for failure notices, and a reset link is a login for whoever reads that mailbox
or, with the default console e-mail, the server log.
"""

from axes.helpers import get_cool_off
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from portal.views.access import portal_view


class LoginView(auth_views.LoginView):
    """The password step. Someone who needs the second step (portal/two_factor.py) is not logged in yet:
    the session remembers who passed the password, and the code page logs in."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        from portal import two_factor

        user = form.get_user()
        if not two_factor.second_step_needed(user):
            return super().form_valid(form)
        two_factor.begin(self.request, user, self.get_success_url())
        return redirect("login_code" if two_factor.has_second_factor(user) else "login_setup")


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page again, saying why, with 429 Too Many Requests."""
    form = AuthenticationForm(request, initial={"username": (credentials or {}).get("username")
                                                or request.POST.get("username", "")})
    account_until = getattr(request, "account_locked_until", None)  # portal.account_lock
    if account_until is not None:
        message = _("Too many failed login attempts for this account, from different addresses. Logging in "
                    "is possible again from %(time)s.") % {"time": date_format(localtime(account_until),
                                                                                "DATETIME_FORMAT")}
    else:
        cool_off = get_cool_off(request)
        minutes = max(1, int(cool_off.total_seconds() // 60)) if cool_off else None
        message = _("Too many failed login attempts. Wait %(minutes)s minutes and try again.") % {
            "minutes": minutes} if minutes else \
            _("Too many failed login attempts. Ask a portal administrator to unlock your account.")
    return render(request, "registration/login.html", {"form": form, "lockout_message": message,
                                                       "next": request.POST.get("next", "")}, status=429)


# A user without a portal or domain role may do nothing (README, Roles), not even change a password.
@method_decorator(portal_view(), name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    pass


@method_decorator(portal_view(), name="dispatch")
class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    pass
