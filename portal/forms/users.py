from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from portal.models import Domain, PortalRole
from portal.validators import IdMultipleChoiceField

User = get_user_model()


class UserForm(forms.ModelForm):
    portal_role = forms.ChoiceField(
        label=_("Portal role"), required=False,
        choices=[("", _("None (domain roles only)"))] + list(PortalRole.choices),
    )
    backoffice_domains = IdMultipleChoiceField(
        label=_("Backoffice in domains"), required=False, queryset=Domain.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    password = forms.CharField(
        label=_("Password"), required=False, strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to keep the current password."),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            membership = getattr(self.instance, "portal_membership", None)
            self.initial["portal_role"] = membership.role if membership else ""
            self.initial["backoffice_domains"] = Domain.objects.filter(memberships__user=self.instance)
        else:
            self.fields["password"].required = True
            self.fields["password"].help_text = ""

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if password:
            validate_password(password, self.instance)
        return password
