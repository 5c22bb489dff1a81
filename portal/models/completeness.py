from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CompletenessReadBack(models.Model):
    """The latest read-back of one administration's month from Yuki (portal/completeness.py): what Yuki
    showed for each ledger entry, when, by whom and at what cost. Kept so the report, its CSV and its PDF
    state the moment of the read-back without asking Yuki again."""

    administration = models.ForeignKey("portal.Administration", on_delete=models.CASCADE,
                                       related_name="completeness_read_backs", verbose_name=_("administration"))
    period = models.CharField(max_length=10)
    read_at = models.DateTimeField()
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    calls = models.PositiveIntegerField(default=0)
    # {ledger entry id: {"status": found|absent|lookalike|amount|unreadable, "detail": text}}
    results = models.JSONField(default=dict)
    error = models.TextField(blank=True)  # why the read-back stopped early, in the reader's words

    class Meta:
        constraints = [models.UniqueConstraint(fields=["administration", "period"],
                                               name="one_read_back_per_administration_month")]

    def __str__(self):
        return f"{self.administration} {self.period} @ {self.read_at:%Y-%m-%d %H:%M}"
