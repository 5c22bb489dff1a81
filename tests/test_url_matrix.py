"""Role × URL matrix, generated from the URLconf: every URL, GET and POST, as each role of tests/conftest.py.

A URL that is added without an entry here fails test_every_url_has_an_entry: decide who may use it.
"""

import pytest

from tests.url_inventory import ADMIN, ROLES, make_world, url_names

# Outcomes: "ok" (2xx, or a redirect that is not to a login page), "login" (sent to /login/),
# "admin-login" (Django admin's own login: nobody here is staff), "403", "405", "any" (simply no 5xx).
ANY_ROLE = ("login", "ok", "ok", "ok", "ok", "403")  # anonymous, alice, bob, carol, dave, erin
ADMIN_ONLY = ("login", "ok", "403", "403", "403", "403")
PORTAL_MANAGERS = ("login", "ok", "ok", "403", "403", "403")
# carol is backoffice of Acme, dave of Bakkerij: to dave an Acme object is as missing as one that does not
# exist (404, never 403: no probing which ids exist); erin has no role at all (403 before any lookup).
ACME_VIEW = ("login", "ok", "ok", "ok", "404", "403")
ACME_EDIT = ("login", "ok", "403", "ok", "404", "403")  # bob (portal backoffice) only looks
NOT_ALLOWED = ("405",) * 6
ANYONE = ("ok",) * 6

MATRIX = {
    # URL name                       GET                POST
    "login":                         (ANYONE,           ANYONE),
    "logout":                        (NOT_ALLOWED,      ("login",) * 6),
    "password_change":               (ANY_ROLE,         ANY_ROLE),
    "password_change_done":          (ANY_ROLE,         ("login", "405", "405", "405", "405", "403")),
    "portal:profile":                (ANY_ROLE,         ANY_ROLE),
    # The second login step: without a password step in this session, back to the login.
    "login_code":                    (("login",) * 6,   ("login",) * 6),
    "login_setup":                   (("login",) * 6,   ("login",) * 6),
    "portal:two-factor-setup":       (ANY_ROLE,         ANY_ROLE),
    "portal:two-factor-recovery-codes": (NOT_ALLOWED,   ANY_ROLE),
    "portal:two-factor-remove":      (NOT_ALLOWED,      ANY_ROLE),
    "loket:connect":                 (NOT_ALLOWED,      PORTAL_MANAGERS),
    "loket:callback":                (ANY_ROLE,         NOT_ALLOWED),
    "loket:disconnect":              (NOT_ALLOWED,      PORTAL_MANAGERS),
    "loket:test":                    (PORTAL_MANAGERS,  PORTAL_MANAGERS),
    "nmbrs:companies":               (ACME_VIEW,        ACME_EDIT),
    "nmbrs:link-by-number":          (ACME_VIEW,        ACME_EDIT),
    "nmbrs:test":                    (NOT_ALLOWED,      ACME_EDIT),
    "nmbrs_rest:connect":            (NOT_ALLOWED,      PORTAL_MANAGERS),
    "nmbrs_rest:callback":           (ANY_ROLE,         NOT_ALLOWED),
    "nmbrs_rest:disconnect":         (NOT_ALLOWED,      PORTAL_MANAGERS),
    "nmbrs_rest:companies":          (ACME_VIEW,        ACME_EDIT),
    "nmbrs_rest:move-from-soap":     (NOT_ALLOWED,      ACME_EDIT),
    "nmbrs_rest:move-all":           (NOT_ALLOWED,      PORTAL_MANAGERS),
    "portal:dashboard":              (ANY_ROLE,         ANY_ROLE),
    "portal:settings":               (PORTAL_MANAGERS,  PORTAL_MANAGERS),
    "portal:domain-create":          (ADMIN_ONLY,       ADMIN_ONLY),
    "portal:domain":                 (ACME_VIEW,        ACME_VIEW),
    "portal:domain-edit":            (ADMIN_ONLY,       ADMIN_ONLY),
    "portal:administration-create":  (ACME_EDIT,        ACME_EDIT),
    "portal:administration":         (ACME_VIEW,        ACME_VIEW),
    "portal:administration-edit":    (ACME_EDIT,        ACME_EDIT),
    "portal:import-now":             (NOT_ALLOWED,      ACME_EDIT),
    "portal:retry-failed":           (NOT_ALLOWED,      ACME_EDIT),
    "portal:import-bulk":            (NOT_ALLOWED,      ACME_EDIT),
    "portal:runs":                   (ANY_ROLE,         ANY_ROLE),
    "portal:run":                    (ACME_VIEW,        ACME_VIEW),
    "portal:document":               (ACME_VIEW,        ACME_VIEW),
    "portal:document-answer":        (NOT_ALLOWED,      ACME_EDIT),
    "portal:document-resend":        (NOT_ALLOWED,      ACME_EDIT),
    "portal:notice-dismiss":         (NOT_ALLOWED,      ACME_EDIT),
    "portal:domain-employers":       (ADMIN_ONLY,       ADMIN_ONLY),
    "portal:domain-employer-remove": (NOT_ALLOWED,      ADMIN_ONLY),
    "portal:deep-check":             (NOT_ALLOWED,      ADMIN_ONLY),
    "portal:test-yuki":              (NOT_ALLOWED,      ACME_EDIT),
    "portal:account-mapping":        (ACME_VIEW,        ACME_EDIT),
    "portal:account-mapping-delete": (NOT_ALLOWED,      ACME_EDIT),
    "portal:completeness":           (ACME_VIEW,        ACME_VIEW),
    "portal:completeness-read-back": (NOT_ALLOWED,      ACME_EDIT),
    "portal:completeness-export":    (ACME_VIEW,        ACME_VIEW),
    "portal:domain-completeness":    (ACME_VIEW,        ACME_VIEW),
    "portal:domain-completeness-read-back": (NOT_ALLOWED, ACME_EDIT),
    "portal:domain-completeness-export": (ACME_VIEW,    ACME_VIEW),
    "portal:petty-cash":             (ACME_VIEW,        ACME_EDIT),
    "portal:needs-check":            (ANY_ROLE,         ANY_ROLE),
    "portal:annual-documents":       (ANY_ROLE,         ANY_ROLE),
    "portal:audit":                  (ADMIN_ONLY,       ADMIN_ONLY),
    "portal:users":                  (ADMIN_ONLY,       ADMIN_ONLY),
    "portal:user-create":            (ADMIN_ONLY,       ADMIN_ONLY),
    "portal:user-edit":              (ADMIN_ONLY,       ADMIN_ONLY),
    "sandbox":                       (("any",) * 6,     ("any",) * 6),  # simulated vendors, sandbox mode only
    ADMIN:                           (("admin-login",) * 6, ("admin-login",) * 6),
}

# URLs whose access is not a role: their own tests decide who gets what.
ELSEWHERE = {
    "health": "tests/test_health.py: up/down for anyone, details for administrators or a token",
    "metrics": "tests/engine/test_metrics.py: a bearer token, behind METRICS_ENABLED",
}


def outcome(response) -> str:
    location = response.get("Location", "").split("?")[0]
    if response.status_code in (301, 302, 303):
        if location == "/login/":
            return "login"
        if location == "/django-admin/login/":
            return "admin-login"
    if response.status_code in (403, 404, 405):
        return str(response.status_code)
    return "ok" if response.status_code < 400 else str(response.status_code)


@pytest.fixture
def world(users, acme, bakkerij, acme_admin, bakkerij_admin, monkeypatch):
    from portal import tasks

    monkeypatch.setattr(tasks, "enqueue", lambda run: None)  # access is what is tested here, not importing
    return make_world(users, acme, bakkerij, acme_admin, bakkerij_admin)


def test_every_url_has_an_entry():
    missing = url_names() - set(MATRIX) - set(ELSEWHERE)
    assert not missing, f"URLs without a role matrix entry (add them to MATRIX): {sorted(missing)}"
    stale = (set(MATRIX) | set(ELSEWHERE)) - url_names()
    assert not stale, f"matrix entries for URLs that no longer exist: {sorted(stale)}"


def test_the_matrix_covers_each_role_and_method():
    assert all(len(row) == len(ROLES) for pair in MATRIX.values() for row in pair)


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_role_matrix(world, client, name, method):
    expected = MATRIX[name][0 if method == "get" else 1]
    url = world.url(name)
    seen = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(world.users[role])
        response = getattr(client, method)(url)
        assert response.status_code < 500, (role, response.status_code)
        seen.append(outcome(response))
    wanted = [want if want != "any" else got for want, got in zip(expected, seen, strict=True)]
    assert seen == wanted, f"{method.upper()} {url}: " + ", ".join(
        f"{role} {got} (expected {want})" for role, got, want in zip(ROLES, seen, wanted, strict=True) if got != want)


# The views that read a payroll source, with the parameters that name an administration (the URLs above
# are requested bare). Refused states and the answers' content: tests/engine/test_vendor_reads_refused.py.
VENDOR_READS = {
    # URL name, parameters                     GET                                   POST
    ("loket:test", "administration"):         (("login", "ok", "ok", "ok", "404", "403"), ACME_EDIT),
    ("portal:import-now", "dry_run"):          (NOT_ALLOWED, ACME_EDIT),
    ("portal:deep-check", "period"):           (NOT_ALLOWED, ADMIN_ONLY),
    ("nmbrs:companies", "company_id"):         (ACME_VIEW, ACME_EDIT),
}


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("entry", sorted(VENDOR_READS), ids=lambda entry: entry[0])
def test_the_vendor_reading_views_with_an_administration(world, client, entry, method):
    name, parameter = entry
    expected = VENDOR_READS[entry][0 if method == "get" else 1]
    data = {"administration": world.acme_admin.pk} if parameter == "administration" else {parameter: ""}
    seen = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(world.users[role])
        response = getattr(client, method)(world.url(name), data)
        assert response.status_code < 500, (role, response.status_code)
        seen.append(outcome(response))
    assert seen == list(expected), f"{method.upper()} {name}: {seen}"
