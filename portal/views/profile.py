"""A person's own profile: the language they read the portal in (stored on the user, so it follows
them to every browser and survives logging out)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.models import UserProfile
from portal.views.access import portal_view
from portal.views.two_factor import two_factor_context


class ProfileForm(forms.ModelForm):
    class Meta:
        model = UserProfile
        fields = ["language"]
        labels = {"language": gettext_lazy("Language of the portal")}
        help_texts = {"language": gettext_lazy("Dutch is the default. Your choice applies to every page "
                                               "you see, in any browser, until you change it.")}


# A user without a portal or domain role may do nothing (README, Roles), not even set a language.
@portal_view()
def profile(request):
    instance, _created = UserProfile.objects.get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        with translation.override(instance.language):  # said in the language just chosen
            messages.success(request, _("Your profile is saved."))
        return redirect("portal:profile")
    return render(request, "portal/profile.html", {"form": form, **two_factor_context(request.user)})
