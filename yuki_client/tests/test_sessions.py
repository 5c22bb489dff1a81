"""Sessions: one Authenticate per access key, shared by workers, renewed once when expired."""

from datetime import timedelta

import pytest

from sandbox.yuki import data
from yuki_client import Administration, Domain, InvalidAccessKeyError, SessionExpiredError, YukiFault


def test_many_calls_with_one_key_authenticate_exactly_once(client, sandbox):
    for _ in range(12):
        client.document_folders()
    client.domains()

    assert sandbox.app.state.authentications == 1
    assert sandbox.app.faults.calls["yuki:Authenticate"] == 1


def test_workers_sharing_a_store_share_the_session(make_client, sandbox):
    first, second = make_client(), make_client()
    first.domains()
    second.domains()
    second.administrations()

    assert sandbox.app.state.authentications == 1


def test_an_expired_session_is_renewed_once_and_the_call_succeeds(client, sandbox):
    client.domains()
    sandbox.app.state.expire_sessions()

    assert client.domains()[0].id == data.DEMO_DOMAIN_ID
    assert sandbox.app.state.authentications == 2
    assert sandbox.app.faults.calls["yuki:Domains"] == 3  # ok, expired, retried


def test_a_session_that_stays_expired_raises_after_one_renewal(client, sandbox):
    sandbox.app.state.session_lifetime = timedelta(seconds=-1)  # every new session is born expired

    with pytest.raises(SessionExpiredError, match="even right after signing in again"):
        client.domains()
    assert sandbox.app.state.authentications == 2


def test_an_unknown_access_key_raises_invalid_access_key_without_retrying(make_client, sandbox):
    client = make_client(access_key="not-a-key")

    with pytest.raises(InvalidAccessKeyError, match="Invalid access key.*Settings > API keys") as info:
        client.domains()
    assert info.value.operation == "Authenticate"
    assert sandbox.app.faults.calls["yuki:Authenticate"] == 1
    assert "yuki:Domains" not in sandbox.app.faults.calls


def test_authenticate_by_user_name(make_client, sandbox):
    client = make_client(access_key=None, user_name=data.DEMO_USER_NAME, password=data.DEMO_PASSWORD)
    assert [d.id for d in client.domains()] == [data.DEMO_DOMAIN_ID]
    assert sandbox.app.faults.calls["yuki:AuthenticateByUserName"] == 1

    wrong = make_client(access_key=None, user_name=data.DEMO_USER_NAME, password="wrong")
    with pytest.raises(InvalidAccessKeyError):
        wrong.domains()


def test_domain_and_administration_operations(client):
    assert client.domains() == [Domain(data.DEMO_DOMAIN_ID, "Bakkerij De Korenschoof", "korenschoof.yukiworks.nl")]
    client.set_current_domain(data.DEMO_DOMAIN_ID)
    assert client.get_current_domain().id == data.DEMO_DOMAIN_ID
    assert client.administrations()[0] == Administration(data.DEMO_ADMINISTRATION_ID,
                                                         "Bakkerij De Korenschoof B.V.", "12345672")
    assert client.administration_id("Korenschoof Holding B.V.") == data.DEMO_SECOND_ADMINISTRATION_ID


def test_yukis_own_fault_message_reaches_the_caller(client):
    with pytest.raises(YukiFault, match="No administration named 'Onbekend B.V.'") as info:
        client.administration_id("Onbekend B.V.")
    assert info.value.fault_message == "No administration named 'Onbekend B.V.' in the current domain."

    with pytest.raises(YukiFault, match="Domain 'elsewhere' not found"):
        client.set_current_domain("elsewhere")


def test_keys_registered_later_work(make_client, sandbox):
    sandbox.app.state.add_access_key("portal-demo-key", data.OTHER_DOMAIN_ID, [data.OTHER_ADMINISTRATION_ID])
    client = make_client(access_key="portal-demo-key", domain_id=data.OTHER_DOMAIN_ID)

    assert [a.id for a in client.administrations()] == [data.OTHER_ADMINISTRATION_ID]
