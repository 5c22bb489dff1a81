"""Nmbrs REST's part of the administration form: the switch for the portal's access lives on its link, and an
own connection's card counts only while the switch is off."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from integrations.nmbrs_rest.models import NmbrsRestLink
from portal import auditing
from portal.forms.settings import AdministrationForm
from portal.models import Administration

DATA = {"name": "Bakkerij Jansen B.V.", "yuki_administration_id": "00000000-0000-4000-8000-000000000001",
        "yuki_access_key": "key", "source": "nmbrs_rest", "relation_code": "0101", "use_portal_import_settings": "on"}


@pytest.mark.django_db
def test_the_switch_is_saved_on_the_link(acme, users):
    form = AdministrationForm(DATA, instance=Administration(domain=acme))  # the switch off: its own connection
    assert form.is_valid(), form.errors
    assert form.section_applies("nmbrs_rest_own")
    auditing.save_audited(users["alice"], form.instance, None, parts=form.links())  # as the view saves it
    administration = form.instance
    assert NmbrsRestLink.objects.get(administration=administration).use_portal_access is False
    form = AdministrationForm({**DATA, "use_portal_nmbrs_rest_access": "on"}, instance=administration)
    assert form.is_valid(), form.errors
    assert not form.section_applies("nmbrs_rest_own")
    auditing.save_audited(users["alice"], form.instance, auditing.snapshot(administration), parts=form.links())
    assert NmbrsRestLink.objects.get(administration=administration).use_portal_access is True


@pytest.mark.django_db
def test_the_administration_page_shows_the_rest_card(acme, users):
    administration = Administration.objects.create(domain=acme, name="Jansen REST", yuki_administration_id="x",
                                                   yuki_access_key="k", source="nmbrs_rest", relation_code="101")
    web = Client()
    web.force_login(users["carol"])
    page = web.get(reverse("portal:administration", args=[administration.pk])).content.decode()
    assert "Nmbrs-verbinding (REST API)" in page and "Gebruikt de Nmbrs-verbinding van het portaal." in page
    assert web.get(reverse("portal:administration-edit", args=[administration.pk])).status_code == 200
