"""A sentence that ends on a name ending in a full stop ("Bakkerij B.V.") has one full stop, not "B.V.."."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from portal.models import PortalRole
from portal.sentences import fill
from tests.people import assign, make_user


@pytest.mark.parametrize("language, expected", [
    ("nl", "Werkgever 1 is niet langer toegewezen aan Bakkerij B.V."),
    ("en", "Werkgever 1 is no longer assigned to Bakkerij B.V."),
])
def test_fill_leaves_out_the_sentences_full_stop_after_a_name_that_has_one(language, expected):
    with translation.override(language):
        message = fill(translation.gettext("%(employer)s is no longer assigned to %(domain)s."),
                       {"employer": "Werkgever 1", "domain": "Bakkerij B.V."})
    assert message == expected


def test_fill_keeps_the_full_stop_after_an_ordinary_name():
    with translation.override("nl"):
        assert fill(translation.gettext("Yuki knows this administration: %(name)s."), {"name": "Acme"}) == (
            "Yuki kent deze administratie: Acme.")


def test_removing_an_employer_of_a_bv_domain_says_so_with_one_full_stop(acme, client):
    acme.name = "Acme B.V."
    acme.save()
    employer = assign(acme, "loket", "1001", name="Acme Holding")
    client.force_login(make_user("alice", PortalRole.ADMINISTRATOR))
    with translation.override("nl"):
        response = client.post(reverse("portal:domain-employer-remove", args=[acme.pk, employer.pk]),
                               HTTP_ACCEPT_LANGUAGE="nl")
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == ["Acme Holding (1001) is niet langer toegewezen aan Acme B.V."]
