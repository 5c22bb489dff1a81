"""Login with throttling of repeated failures per (username, address)."""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.views import LoginView, PasswordResetView
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.languages import language_of


def _failure_key(username: str, address: str) -> str:
    return f"login-failures:{(username or '').strip().lower()}:{address}"


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("Too many failed login attempts. Wait %(minutes)s minutes and try again."),
    }

    def clean(self):
        key = _failure_key(self.data.get("username", ""), _client_address(self.request))
        if (cache.get(key) or 0) >= settings.LOGIN_MAX_FAILURES:
            # Refuse without checking the password, so guessing gains nothing while locked.
            raise ValidationError(self.error_messages["throttled"], code="throttled",
                                  params={"minutes": max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)})
        try:
            cleaned = super().clean()
        except ValidationError:
            if cache.add(key, 1, settings.LOGIN_LOCKOUT_SECONDS) is False:
                try:
                    cache.incr(key)
                except ValueError:
                    cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)
            raise
        cache.delete(key)
        return cleaned


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request else ""


class ThrottledLoginView(LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True


class PersonalPasswordResetForm(PasswordResetForm):
    """The reset e-mail in the language its reader chose (portal.languages), not the anonymous page's."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        with translation.override(language_of(context.get("user"))):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class PersonalPasswordResetView(PasswordResetView):
    form_class = PersonalPasswordResetForm
