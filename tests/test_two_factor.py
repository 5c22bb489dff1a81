"""The second login step (portal/two_factor.py): required for portal administrators, optional for others,
recovery codes, and wrong codes count towards the login locks."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.languages import choose_language
from portal.models import LoginFailure, PortalMembership, PortalRole
from tests.people import PASSWORD, make_user
from tests.support import FORCE_LOGIN_ONLY, second_step_code

START = datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clean(settings):
    settings.LANGUAGE_CODE = "nl"
    settings.AXES_FAILURE_LIMIT = 5
    settings.LOGIN_ACCOUNT_MAX_FAILURES = 20
    cache.clear()
    yield
    cache.clear()


def password_step(client, username):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def code_of(device, drift=0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


@pytest.mark.django_db
def test_an_administrator_without_an_app_must_set_one_up_before_reaching_anything(users, client):
    frank = make_user("frank")
    PortalMembership.objects.create(user=frank, role=PortalRole.ADMINISTRATOR)  # no app yet
    with time_machine.travel(START, tick=False) as clock:
        response = password_step(client, "frank")
        assert response.status_code == 302 and response["Location"] == reverse("login_setup")
        assert not logged_in(client), "the password alone logs nobody in"
        assert client.get(reverse("portal:dashboard"))["Location"].startswith(reverse("login"))
        page = client.get(reverse("login_setup")).content.decode()
        assert "Stel de tweede inlogstap in" in page and "<svg" in page
        device = TOTPDevice.objects.get(user=frank, confirmed=False)
        assert client.post(reverse("login_setup"), {"code": "000000"}).status_code == 200
        assert not logged_in(client)
        clock.shift(timedelta(seconds=2))  # django-otp's back-off after a wrong code: 1 s
        response = client.post(reverse("login_setup"), {"code": code_of(device)})
        assert response.status_code == 200 and logged_in(client)
        codes = response.context["codes"]
        assert len(codes) == 10 and len(set(codes)) == 10
        assert client.get(reverse("portal:dashboard")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


@pytest.mark.django_db
def test_with_an_app_the_code_completes_the_login_and_a_recovery_code_works_once(users, client):
    alice = users["alice"]
    with time_machine.travel(START, tick=False):
        assert password_step(client, "alice")["Location"] == reverse("login_code")
        assert not logged_in(client)
        response = client.post(reverse("login_code"), {"code": second_step_code(alice)})
        assert response.status_code == 302 and response["Location"] == reverse("portal:dashboard")
        assert logged_in(client)
        assert client.get(reverse("portal:dashboard")).status_code == 200
        client.logout()
        # The same code again (in the same 30 seconds) is refused: a code is used once.
        used = code_of(TOTPDevice.objects.get(user=alice))
        password_step(client, "alice")
        assert client.post(reverse("login_code"), {"code": used}).status_code == 200
        assert not logged_in(client)
    from portal.two_factor import new_recovery_codes

    codes = new_recovery_codes(alice)
    with time_machine.travel(START + timedelta(minutes=5), tick=False):
        client = Client()
        password_step(client, "alice")
        response = client.post(reverse("login_code"), {"code": codes[0]}, follow=True)
        assert logged_in(client)
        assert "nog 9 over" in response.content.decode()
        client.logout()
        password_step(client, "alice")
        client.post(reverse("login_code"), {"code": codes[0]})
        assert not logged_in(client), "a recovery code is used once"
    assert StaticToken.objects.filter(device__user=alice).count() == 9


@pytest.mark.django_db
def test_wrong_codes_count_and_lock_like_wrong_passwords(users, client):
    alice = users["alice"]
    with time_machine.travel(START, tick=False) as clock:
        password_step(client, "alice")
        for n in range(4):
            clock.shift(timedelta(seconds=20))  # past django-otp's own back-off after a wrong code
            assert client.post(reverse("login_code"), {"code": "123456"}).status_code == 200, n
        clock.shift(timedelta(seconds=20))
        response = client.post(reverse("login_code"), {"code": "123456"})
        assert response.status_code == 429, "the 5th failure locks, as with passwords"
        assert "te veel mislukte inlogpogingen" in response.content.decode().lower()
        # Locked: neither the password step nor a right code gets through.
        assert password_step(client, "alice").status_code == 429
        assert not logged_in(client)
    assert LoginFailure.objects.filter(username="alice").count() == 5, "the account lock counts them too"
    # The lock expires; a right code then logs in, and the password step did not wipe the wrong codes.
    with time_machine.travel(START + timedelta(minutes=30), tick=False):
        assert password_step(client, "alice")["Location"] == reverse("login_code")
        client.post(reverse("login_code"), {"code": second_step_code(alice)})
        assert logged_in(client)


@pytest.mark.django_db
def test_a_correct_password_does_not_reset_the_count_of_wrong_codes(users, client):
    """Else: password, 4 wrong codes, password again, 4 more ... an endless guess at the code."""
    with time_machine.travel(START, tick=False) as clock:
        for _round in range(2):
            password_step(client, "alice")
            for _ in range(2):
                clock.shift(timedelta(seconds=20))
                client.post(reverse("login_code"), {"code": "123456"})
        clock.shift(timedelta(seconds=20))
        password_step(client, "alice")
        assert client.post(reverse("login_code"), {"code": "123456"}).status_code == 429


@pytest.mark.django_db
def test_the_password_step_expires(users, client):
    with time_machine.travel(START, tick=False) as clock:
        password_step(client, "alice")
        clock.shift(timedelta(minutes=11))
        response = client.post(reverse("login_code"), {"code": second_step_code(users["alice"])})
        assert response["Location"] == reverse("login") and not logged_in(client)


@pytest.mark.django_db
def test_others_choose_it_on_their_profile_page_and_then_need_it(users, client):
    carol = users["carol"]
    with time_machine.travel(START, tick=False):
        assert password_step(client, "carol")["Location"] == reverse("portal:dashboard"), "off: no second step"
        page = client.get(reverse("portal:profile")).content.decode()
        assert "Tweede inlogstap" in page and "Uit." in page
        client.get(reverse("portal:two-factor-setup"))
        device = TOTPDevice.objects.get(user=carol)
        response = client.post(reverse("portal:two-factor-setup"), {"code": code_of(device)})
        assert len(response.context["codes"]) == 10
        assert client.get(reverse("portal:dashboard")).status_code == 200, "this session proved the app"
        assert "Aan:" in client.get(reverse("portal:profile")).content.decode()
        client.logout()
        assert password_step(client, "carol")["Location"] == reverse("login_code")
    with time_machine.travel(START + timedelta(minutes=1), tick=False):
        client.post(reverse("login_code"), {"code": code_of(device)})
        assert logged_in(client)
        # Switching it off asks for a code.
        client.post(reverse("portal:two-factor-remove"), {"code": "000000"})
        assert TOTPDevice.objects.filter(user=carol).exists()
    with time_machine.travel(START + timedelta(minutes=2), tick=False):
        client.post(reverse("portal:two-factor-remove"), {"code": code_of(device)})
        assert not TOTPDevice.objects.filter(user=carol).exists()


@pytest.mark.django_db
def test_an_administrator_cannot_switch_it_off(users, client):
    client.force_login(users["alice"])
    with time_machine.travel(START, tick=False):
        response = client.post(reverse("portal:two-factor-remove"), {"code": second_step_code(users["alice"])},
                               follow=True)
    assert "kun je de tweede inlogstap niet uitzetten" in response.content.decode()
    assert TOTPDevice.objects.filter(user=users["alice"]).exists()


@pytest.mark.django_db
def test_a_session_that_did_not_pass_the_second_step_is_logged_out(users, client):
    """A login before the second step was required, a new administrator, Django admin's own login form."""
    FORCE_LOGIN_ONLY(client, users["alice"])
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not logged_in(client)
    FORCE_LOGIN_ONLY(client, users["carol"])  # no app: nothing needed
    assert client.get(reverse("portal:dashboard")).status_code == 200
    PortalMembership.objects.create(user=users["carol"], role=PortalRole.ADMINISTRATOR)
    assert client.get(reverse("portal:dashboard")).status_code == 302, "made administrator: set up an app first"


@pytest.mark.django_db
def test_only_the_local_sandbox_run_exempts_administrators(users, client, settings):
    frank = make_user("frank")
    PortalMembership.objects.create(user=frank, role=PortalRole.ADMINISTRATOR)
    settings.SANDBOX_ENABLED, settings.DEBUG = True, True
    assert password_step(client, "frank")["Location"] == reverse("portal:dashboard")
    client.logout()
    for sandbox, debug in ((True, False), (False, True)):
        settings.SANDBOX_ENABLED, settings.DEBUG = sandbox, debug
        assert password_step(Client(), "frank")["Location"] == reverse("login_setup")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_page_of_the_second_step_reads_in_the_persons_language(users, client, language):
    """The login pages speak the language of the person who passed the password step (not logged in yet);
    tests/i18n/pages.py sends these pages here."""
    from tests.i18n.language_check import foreign_words, visible_text

    frank = make_user("frank")
    PortalMembership.objects.create(user=frank, role=PortalRole.ADMINISTRATOR)
    choose_language(frank, language)
    choose_language(users["alice"], language)
    seen = {}
    with time_machine.travel(START, tick=False) as clock:
        password_step(client, "frank")
        seen["setup"] = client.get(reverse("login_setup"))
        seen["setup, wrong code"] = client.post(reverse("login_setup"), {"code": "000000"})
        clock.shift(timedelta(seconds=2))
        device = TOTPDevice.objects.get(user=frank)
        seen["recovery codes"] = client.post(reverse("login_setup"), {"code": code_of(device)})
        seen["profile, on"] = client.get(reverse("portal:profile"))
        seen["new recovery codes"] = client.post(reverse("portal:two-factor-recovery-codes"))
        client.logout()
        password_step(client, "frank")
        seen["code"] = client.get(reverse("login_code"))
        seen["code, wrong"] = client.post(reverse("login_code"), {"code": "000000"})
        carol = Client()
        choose_language(users["carol"], language)
        carol.force_login(users["carol"])
        seen["profile, off"] = carol.get(reverse("portal:profile"))
        seen["setup from the profile"] = carol.get(reverse("portal:two-factor-setup"))
    for name, response in seen.items():
        assert response.status_code == 200, name
        html = response.content.decode()
        assert f'lang="{language}"' in html or language == "nl", name
        assert foreign_words(visible_text(html, language), language, names=["frank", "carol"]) == [], name
