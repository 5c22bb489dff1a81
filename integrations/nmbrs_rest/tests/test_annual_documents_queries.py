"""The annual documents page loads each administration's link with the rows: its queries do not grow with them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integrations.nmbrs.models import NmbrsLink
from integrations.nmbrs_rest.models import NmbrsRestLink
from portal.models import Administration


def _administrations(domain, numbers: range) -> None:
    for n in numbers:
        rest = Administration.objects.create(domain=domain, name=f"REST {n} B.V.", source="nmbrs_rest",
                                             yuki_administration_id=f"rest-{n}", yuki_access_key="k")
        NmbrsRestLink.objects.update_or_create(administration=rest, defaults={  # a new administration has one
            "company_id": f"00000000-0000-0000-0000-{n:012d}", "company_number": str(500 + n),
            "company_name": f"REST Bedrijf {n}"})
        soap = Administration.objects.create(domain=domain, name=f"SOAP {n} B.V.", source="nmbrs",
                                             yuki_administration_id=f"soap-{n}", yuki_access_key="k")
        NmbrsLink.objects.update_or_create(administration=soap, defaults={
            "company_id": 70_000 + n, "company_number": str(700 + n), "company_name": f"SOAP Bedrijf {n}"})


def _page(user) -> tuple[int, str]:
    web = Client()
    web.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = web.get(reverse("portal:annual-documents"))
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.django_db
def test_the_page_needs_as_many_queries_for_5_rest_administrations_as_for_1(acme, users):
    _administrations(acme, range(1))
    one, page = _page(users["alice"])
    assert "REST Bedrijf 0 (500)" in page and "SOAP Bedrijf 0" in page

    _administrations(acme, range(1, 5))
    five, page = _page(users["alice"])
    assert all(f"REST Bedrijf {n} ({500 + n})" in page and f"SOAP Bedrijf {n}" in page for n in range(5))
    assert five == one
