"""Inputs found to crash or to be accepted wrongly (no input may give a 500): each gets a clear Dutch error."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from portal.models import Administration, Domain, ImportRun

pytestmark = pytest.mark.django_db
GUID = "2b8c4c41-5a0e-4d7c-9d0c-0f3a7d1e0abc"


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.mark.parametrize("value", ["abc", "1.5", "²", "1" * 20, "-1", "0", "", "١"])
def test_bulk_import_with_a_bad_administration_is_refused_in_dutch(users, acme, acme_admin, login, value):
    client = login(users["carol"])
    response = client.post(reverse("portal:import-bulk", args=[acme.pk]), {"administration": value, "month": ""},
                           follow=True)
    assert response.status_code == 200
    assert any("geldig nummer" in m or "minstens één administratie" in m for m in messages_of(response)), \
        messages_of(response)
    assert not ImportRun.objects.exists()


def test_bulk_import_refuses_another_domains_administration(users, acme, bakkerij_admin, login):
    client = login(users["carol"])
    response = client.post(reverse("portal:import-bulk", args=[acme.pk]),
                           {"administration": bakkerij_admin.pk}, follow=True)
    assert "alleen administraties van dit domein" in " ".join(messages_of(response))
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("value", ["²", "abc", "1" * 25, "-3", "1.5"])
def test_run_log_with_a_bad_administration_filter(users, acme_admin, login, value):
    response = login(users["alice"]).get(reverse("portal:runs"), {"administration": value})
    assert response.status_code == 200
    assert "geldig nummer" in " ".join(messages_of(response))


@pytest.mark.parametrize("month, text", [("0001-01", "bewaard"), ("2018-12", "bewaard"), ("2026-13", "JJJJ-MM"),
                                         ("２０２６-01", "JJJJ-MM"), ("9999-01", "toekomstige maand"),
                                         ("2026", "JJJJ-MM")])
def test_import_now_with_a_month_outside_what_the_portal_can_hold(users, acme_admin, login, month, text, settings):
    import time_machine

    with time_machine.travel("2026-11-15 12:00 +01:00", tick=False):
        response = login(users["carol"]).post(reverse("portal:import-now", args=[acme_admin.pk]), {"month": month},
                                              follow=True)
    assert response.status_code == 200
    assert text in " ".join(messages_of(response)), messages_of(response)
    assert not ImportRun.objects.exists()


def test_a_month_within_seven_years_is_a_backfill(users, acme_admin, login):
    import time_machine

    with time_machine.travel("2026-11-15 12:00 +01:00", tick=False):
        login(users["carol"]).post(reverse("portal:import-now", args=[acme_admin.pk]), {"month": "2019-01",
                                                                                       "dry_run": "on"})
    assert ImportRun.objects.get().trigger == "backfill"


@pytest.mark.parametrize("args, text", [(["--month", "0001-01"], "bewaard"), (["--month", "x"], "JJJJ-MM"),
                                        (["--administration", "²"], "Geen administratie gevonden"),
                                        (["--administration", "1" * 20], "Geen administratie gevonden"),
                                        (["--administration", "a\x00b"], "null")])
def test_import_now_command_arguments_give_an_error_not_a_traceback(acme_admin, args, text):
    with pytest.raises(CommandError, match=text):
        call_command("import_now", *args)


def domain_post(client, **data):
    return client.post(reverse("portal:domain-create"), {"name": "Nieuw", "yuki_domain_id": GUID, **data})


@pytest.mark.parametrize("value", ["dom-new", "1234", GUID + "0", GUID.replace("a", "g")])
def test_a_yuki_domain_id_is_a_guid(users, login, value):
    response = domain_post(login(users["alice"]), yuki_domain_id=value)
    assert response.status_code == 200
    assert "8-4-4-4-12" in response.content.decode()
    assert not Domain.objects.filter(name="Nieuw").exists()


def test_a_guid_is_stored_normalised_and_a_duplicate_name_is_refused(users, login, acme):
    client = login(users["alice"])
    assert domain_post(client, yuki_domain_id="{" + GUID.upper() + "}").status_code == 302
    assert Domain.objects.get(name="Nieuw").yuki_domain_id == GUID
    response = domain_post(client, name="ACME", yuki_domain_id=GUID.replace("abc", "abd"))
    assert response.status_code == 200 and "al een domein met de naam" in response.content.decode()
    response = domain_post(client, name="Ander", yuki_domain_id=GUID.upper())
    assert response.status_code == 200 and "heeft deze Yuki domein-ID al" in response.content.decode()


def test_a_duplicate_name_ending_in_a_full_stop_is_refused_with_one_full_stop(users, login, acme):
    acme.name = "Acme B.V."
    acme.save()
    response = domain_post(login(users["alice"]), name="acme b.v.")
    assert "al een domein met de naam acme b.v.<" in response.content.decode(), "not 'acme b.v..'"


def admin_post(client, domain, **changes):
    data = {"name": "Tweede B.V.", "yuki_administration_id": GUID, "yuki_access_key": "key", "source": "loket",
            "relation_code": "40123", "wage_tax_number": "812345678L01", "use_portal_loket_access": "on",
            "use_portal_import_settings": "on", **changes}
    return client.post(reverse("portal:administration-create", args=[domain.pk]), data)


@pytest.mark.parametrize("field, value, text", [
    ("relation_code", "-1", "positief geheel getal"),
    ("relation_code", "<b>1</b>", "positief geheel getal"),
    ("relation_code", "１２", "positief geheel getal"),
    ("relation_code", "0", "positief geheel getal"),
    ("wage_tax_number", "812345678L00", "01-99"),
    ("wage_tax_number", "123456789L01", "elfproef"),
    ("wage_tax_number", "８１２３４５６７８L01", "9 cijfers"),
    ("yuki_administration_id", "adm-1", "8-4-4-4-12"),
    ("name", "acme b.v.", "al een administratie met de naam"),
])
def test_administration_fields_are_checked(users, acme, acme_admin, login, field, value, text):
    response = admin_post(login(users["carol"]), acme, **{field: value})
    assert response.status_code == 200
    assert text in response.content.decode()
    assert Administration.objects.filter(domain=acme).count() == 1


def test_a_valid_administration_is_saved_with_its_client_number_as_a_number(users, acme, login):
    # alice: a domain user on the shared access picks an assigned employer instead (tests/test_assigned_employers.py)
    assert admin_post(login(users["alice"]), acme, relation_code=" 040123 ").status_code == 302
    assert Administration.objects.get(name="Tweede B.V.").relation_code == "40123"


def test_the_same_administration_name_in_another_domain_is_fine(users, acme, bakkerij_admin, login):
    assert admin_post(login(users["alice"]), acme, name="Bakkerij B.V.").status_code == 302


def test_annual_documents_before_the_retention_period_are_refused(users, login):
    response = login(users["alice"]).post(reverse("portal:annual-documents"), {"year": "1"})
    assert response.status_code == 200
    assert "bewaard" in response.content.decode()


def test_the_audit_search_refuses_a_nul_character(users, login):
    """Found by tests/test_fuzz_inputs.py: PostgreSQL cannot search for NUL, the query crashed."""
    response = login(users["alice"]).get(reverse("portal:audit"), {"q": "a\x00b"})
    assert response.status_code == 200
    assert "Null" in " ".join(messages_of(response)) or "null" in " ".join(messages_of(response)).lower()


@pytest.mark.parametrize("args", [["a\x00b"], ["x" * 200], ["ok-name", "--email", "not-an-address"],
                                  ["ok-name", "--password", "123"]])
def test_create_admin_arguments_give_an_error_not_a_traceback(args):
    with pytest.raises(CommandError):
        call_command("create_admin", *args)
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.exists()


def test_a_refused_client_number_gets_one_message_not_two(users, acme, login):
    response = admin_post(login(users["carol"]), acme, relation_code="-1")
    errors = response.context["form"].errors["relation_code"]
    assert len(errors) == 1 and "positief geheel getal" in errors[0]
