"""A secret typed while another field has an error is kept for the next submit, encrypted and signed; a kept
value never comes back in the page, and a forged or foreign token is ignored."""

import pytest

from portal.forms.secrets import keep, kept
from portal.forms.settings import AdministrationForm
from portal.models import Administration


def test_a_kept_token_only_opens_for_its_own_field():
    token = keep("api_token", "geheim-123")
    assert "geheim-123" not in token
    assert kept("api_token", token) == "geheim-123"
    assert kept("yuki_access_key", token) == ""
    assert kept("api_token", token[:-2] + "xx") == ""
    assert kept("api_token", "") == ""


@pytest.mark.django_db
def test_the_form_carries_the_typed_key_but_never_renders_it(acme):
    data = {"name": "", "yuki_administration_id": "5f0c9a52-1b9e-4c61-9d0e-2a7b3c4d5e6f", "yuki_access_key": "geheim-123", "source": "loket",
            "relation_code": "1", "wage_tax_number": "812345678L01"}
    form = AdministrationForm(data, instance=Administration(domain=acme))
    assert not form.is_valid() and "name" in form.errors
    html = form.as_div()
    assert "geheim-123" not in html
    carried = form.data["yuki_access_key_kept"]
    assert carried and f'value="{carried}"' in html
    again = AdministrationForm({**data, "name": "Acme", "yuki_access_key": "", "yuki_access_key_kept": carried},
                               instance=Administration(domain=acme))
    assert again.is_valid(), again.errors
    assert again.cleaned_data["yuki_access_key"] == "geheim-123"
    forged = AdministrationForm({**data, "name": "Acme", "yuki_access_key": "",
                                 "yuki_access_key_kept": keep("api_token", "ander")},
                                instance=Administration(domain=acme))
    assert not forged.is_valid() and "yuki_access_key" in forged.errors
