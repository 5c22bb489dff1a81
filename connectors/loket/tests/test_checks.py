""""Test connection": every call the imports need, with the missing right named."""

from __future__ import annotations

import pytest
from django.utils import translation

from connectors.loket.checks import check_authorisation, check_connection
from sandbox.loket import data

ALL_CHECKS = ["Loket authorisation", "Payroll administration", "Payroll periods", "Employments", "Payslips",
              "Journal runs", "Journal run results", "Wage tax returns"]


def test_everything_works_with_all_rights(client):
    checks = check_connection(client, "40123", "812345678L01")
    assert [c.name for c in checks] == ALL_CHECKS
    assert all(c.ok for c in checks), checks
    assert "Korenschoof" in checks[1].message


@pytest.mark.parametrize(("number", "wage_tax_number"), [("", ""), ("40123", ""), ("", "812345678L01"),
                                                        ("abc", "812345678L01")])
def test_without_an_employer_nothing_is_called_and_no_employer_is_picked(client, app, number, wage_tax_number):
    """Never the first administration the Loket user sees: that may be another domain's employer."""
    app.state.requests.clear()
    with translation.override("nl"):
        [check] = check_connection(client, number, wage_tax_number)
    assert not check.ok and "Er is niets gelezen bij Loket" in check.message
    assert app.state.requests == []
    assert "Korenschoof" not in check.message and "40123" not in check.message.replace(number or "-", "")


def test_for_one_employer_the_firm_wide_count_is_not_told(client):
    with translation.override("en"):
        checks = check_connection(client, "40123", "812345678L01")
        firm_wide = check_authorisation(client)
    assert checks[0].ok and checks[0].message == "Loket accepts the authorisation."
    assert firm_wide.ok and "sees 5 administrations" in firm_wide.message


@pytest.mark.parametrize(("right", "failing"), [
    (data.RIGHT_EMPLOYMENTS, {"Employments", "Payslips"}),
    (data.RIGHT_JOURNALISE, {"Journal runs", "Journal run results"}),
    (data.RIGHT_EXPORT_JOURNAL_RUN, {"Journal run results"}),
    (data.RIGHT_TAX_RETURNS, {"Wage tax returns"}),
    (data.RIGHT_PAYROLL_OUTPUT, {"Payroll periods", "Payslips"}),
])
def test_a_missing_right_fails_exactly_the_checks_that_need_it(client, app, right, failing):
    app.state.revoke_right(right)
    checks = check_connection(client, "40123", "812345678L01")
    assert {c.name for c in checks if not c.ok} == failing
    named = [c for c in checks if c.missing_right]
    assert named and {c.missing_right for c in named} == {right}
    assert all(right in c.message for c in named)


def test_a_revoked_authorisation_fails_the_first_check_and_stops(client, app):
    app.state.expire_access_tokens()
    app.state.revoke_refresh_tokens()
    [check] = check_connection(client, "40123", "812345678L01")
    assert check.name == "Loket authorisation" and not check.ok and "Verbind met Loket" in check.message


def test_an_unknown_administration_stops_after_the_lookup(client):
    checks = check_connection(client, "40123", "899999999L01")
    assert [(c.name, c.ok) for c in checks] == [("Loket authorisation", True), ("Payroll administration", False)]
    assert "812345678L01" in checks[1].message


def test_a_user_without_employers_is_told_to_get_access(client, app):
    app.state.users[data.DEMO_USERNAME].employer_ids = set()
    with translation.override("en"):
        checks = check_connection(client, "40123", "812345678L01")
    assert not checks[-1].ok and "access to this employer" in checks[-1].message


@pytest.mark.parametrize(("language", "refused", "not_tried"), [
    ("nl", f"mist het recht '{data.RIGHT_EMPLOYMENTS}'", "Niet geprobeerd: de dienstverbanden"),
    ("en", f"lacks the right '{data.RIGHT_EMPLOYMENTS}'", "Not tried: the employments"),
])
def test_every_result_is_in_the_language_of_whoever_asked(client, app, language, refused, not_tried):
    app.state.revoke_right(data.RIGHT_EMPLOYMENTS)  # a refused call, and a check that cannot be tried
    with translation.override(language):
        checks = check_connection(client, "40123", "812345678L01")
    by_name = {c.name: c for c in checks}
    assert refused in by_name["Employments"].message
    assert by_name["Payslips"].message.startswith(not_tried)


def test_a_user_without_employers_is_told_in_dutch_too(client, app):
    app.state.users[data.DEMO_USERNAME].employer_ids = set()
    with translation.override("nl"):
        checks = check_connection(client, "40123", "812345678L01")
    assert "ziet geen salarisadministratie met clientnummer 40123" in checks[-1].message
