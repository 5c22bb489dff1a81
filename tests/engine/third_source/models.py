"""The test source's own state: its employer code per administration, in its own model and migration (no
column in the portal's tables, no portal migration)."""

from django.db import models


class PaperclipLink(models.Model):
    administration = models.OneToOneField("portal.Administration", on_delete=models.CASCADE, primary_key=True,
                                          related_name="paperclip_link")
    employer_code = models.CharField("employer code", max_length=20, blank=True)

    def __str__(self):
        return self.employer_code


def link_of(administration) -> PaperclipLink:
    try:
        return administration.paperclip_link
    except PaperclipLink.DoesNotExist:
        link = PaperclipLink(administration=administration) if administration.pk else PaperclipLink()
        administration._state.fields_cache["paperclip_link"] = link
        return link


def employer_code(administration) -> str:
    return link_of(administration).employer_code
