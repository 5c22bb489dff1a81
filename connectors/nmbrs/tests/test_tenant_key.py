import pytest

from connectors.nmbrs.credentials import InvalidTenantKey, normalize_tenant_key


@pytest.mark.parametrize("text", [
    "kantoor",
    "  Kantoor ",
    "kantoor.nmbrs.nl",
    "https://kantoor.nmbrs.nl",
    "https://kantoor.nmbrs.nl/",
    "https://KANTOOR.nmbrs.nl/applications/common/login.aspx?x=1",
    "kantoor.nmbrs.nl/applications/",
    "http://kantoor.nmbrs.com",
])
def test_a_key_or_pasted_url_reduces_to_the_subdomain(text):
    assert normalize_tenant_key(text) == "kantoor"


def test_keys_with_hyphens_and_digits_are_kept():
    assert normalize_tenant_key("https://van-dijk2.nmbrs.nl") == "van-dijk2"


@pytest.mark.parametrize("text", ["", "   ", "https://www.nmbrs.nl", "api.nmbrs.nl", "https://kantoor.example.com",
                                  "kan toor", "kantoor_1", "-kantoor", "https://nmbrs.nl"])
def test_text_that_cannot_be_a_tenant_is_refused_with_guidance(text):
    with pytest.raises(InvalidTenantKey) as info:
        normalize_tenant_key(text)
    assert "before .nmbrs.nl" in str(info.value) or "Nmbrs' own address" in str(info.value)
    assert "Tenant Key niet gevonden" in str(info.value.user_message)
