"""The journey fixture itself: it must catch what a person would run into (else every journey is blind)."""

import pytest

from portal.models import PortalRole
from tests.people import make_user


def test_a_console_error_is_a_problem(journey):
    journey.page.set_content("<script>console.error('kapot')</script>")
    with pytest.raises(AssertionError, match="kapot"):
        journey.check()


def test_a_script_error_is_a_problem(journey):
    journey.page.set_content("<script>undefinedFunction()</script>")
    with pytest.raises(AssertionError, match="undefinedFunction"):
        journey.check()


def test_a_failed_request_is_a_problem_unless_declared(journey):
    journey.login(make_user("alice", PortalRole.ADMINISTRATOR))
    journey.goto("/administrations/999999/")
    with pytest.raises(AssertionError, match="404 for GET .*/administrations/999999/"):
        journey.check()
    journey.expect_status(404, "/administrations/999999/")
    journey.goto("/administrations/999999/")
    journey.check()


def test_a_declared_failure_must_happen(journey):
    journey.expect_status(403, "/settings/")
    with pytest.raises(AssertionError, match="never provoked"):
        journey.check()


def test_a_hidden_required_control_is_a_problem(journey):
    journey.page.goto('data:text/html,<form><section hidden><input name="email" required></section>'
                      '<button>Bewaren</button></form>')
    journey.page.click("button")
    with pytest.raises(AssertionError, match="journey-hidden-required: email"):
        journey.check()


def test_a_control_the_browser_refuses_is_a_problem_unless_allowed(journey):
    form = '<form><input name="day" type="number" max="31" value="40"><button>Bewaren</button></form>'
    journey.page.goto("data:text/html," + form)
    journey.page.click("button")
    with pytest.raises(AssertionError, match="journey-invalid: day"):
        journey.check()
    journey.allow_invalid("day")
    journey.page.goto("data:text/html," + form)
    journey.page.click("button")
    journey.check()


def test_the_hook_fails_the_test_after_its_body(journey):
    """What the person ran into fails the test even when its own asserts passed (conftest's hook)."""
    from types import SimpleNamespace

    from tests.browser import conftest

    journey.page.goto("data:text/html,<script>console.error('stuk')</script>")
    hook = conftest.pytest_runtest_call(SimpleNamespace(funcargs={"journey": journey}))
    next(hook)
    with pytest.raises(AssertionError, match="stuk"):
        hook.send(None)
