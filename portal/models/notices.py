from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeLevel(models.TextChoices):
    ERROR = "error", _("Error")
    WARNING = "warning", _("Warning")
    INFO = "info", _("Information")


class Notice(models.Model):
    """A message in the portal for the portal administrators and the domain's backoffice (and by e-mail).

    `key` groups repeats of the same problem (e.g. one administration's failing imports), so a second
    failure in a row updates the open notice and says so, instead of piling up.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    level = models.CharField(max_length=10, choices=NoticeLevel.choices, default=NoticeLevel.ERROR)
    title = models.CharField(max_length=300)
    message = models.TextField()
    key = models.CharField(max_length=200, blank=True, db_index=True)
    repeats = models.PositiveIntegerField(default=1)
    domain = models.ForeignKey("portal.Domain", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    administration = models.ForeignKey("portal.Administration", null=True, blank=True, on_delete=models.CASCADE,
                                       related_name="notices")
    run = models.ForeignKey("portal.ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    link = models.CharField(max_length=300, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self):
        return self.title
