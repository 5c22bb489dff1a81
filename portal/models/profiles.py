from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    """The portal speaks Dutch (the default for everyone) and English on request. Each language is
    named in itself, as language choosers do, so a person who reads only one of them finds it."""

    DUTCH = "nl", "Nederlands"
    ENGLISH = "en", "English"


class UserProfile(models.Model):
    """What a person chooses for themselves. The language follows the person, not the browser: a
    bookkeeper with an English browser still gets the Dutch portal unless they ask for English here."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default=Language.DUTCH)

    class Meta:
        verbose_name = _("profile")

    def __str__(self):
        return f"{self.user} ({self.language})"
