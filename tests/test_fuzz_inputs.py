"""No input gives a 500: generated values (hypothesis) in every form field and query parameter of every URL
of the URLconf, as each role of tests/conftest.py, GET and POST.

The fields come from the pages themselves: every <form> and every link with a query string on every page
a portal administrator can open is parsed, and what a form posts to (its action) gets those field names.
FORM_INDEPENDENT_PARAMETERS adds what views read that no page offers (a hand-made URL can send anything).
The test client re-raises an unhandled exception, so a crash fails the test with its traceback.
"""

from __future__ import annotations

import os
from collections import defaultdict
from urllib.parse import parse_qsl, urlsplit

import lxml.html
import pytest
from django.db import transaction
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_url_matrix import MATRIX
from tests.url_inventory import ADMIN, ROLES, make_world

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES_PER_URL", "30"))

FORM_INDEPENDENT_PARAMETERS = {
    "login": {"next"},
    "loket:connect": {"administration"},
    "loket:disconnect": {"administration"},
    "loket:test": {"administration"},
    "loket:callback": {"code", "state", "error", "error_description"},
    "portal:runs": {"administration", "page", "status", "trigger", "source", "q"},
    "portal:import-now": {"month", "dry_run"},
    "portal:import-bulk": {"administration", "month", "dry_run"},
    "portal:document-answer": {"answer"},
    "portal:annual-documents": {"year", "administration"},
    "nmbrs:companies": {"company_id"},
    "nmbrs:link-by-number": {"links"},
}
# The values that broke inputs before (no input may give a 500), tried in every field one by one;
# 2**63 is the first id beyond the database's range (a 500 on SQLite, see `_bounded` below).
CLASSIC = ["abc", "1.5", "²", "1" * 20, "-1", "0", "0001-01", "9999-12", "a\x00b", "a" * 5000, "١٢", "<b>1</b>", "",
           "9223372036854775808"]

TRICKY = ["", " ", "0", "-1", "1", "2", "1.5", "1e3", "²", "١٢", "１２", "1" * 20, "9" * 40, "abc", "\x00",
          "a\x00b", "<b>1</b>", "<script>alert(1)</script>", "' OR '1'='1", "0001-01", "9999-12", "2026-13",
          "2026-00", "2026-10", "2026", "on", "off", "true", "null", "%s", "%(name)s", "{0}", "../../etc/passwd",
          "http://evil.example/", "//evil.example", "ｔhr3", "a" * 5000, "812345678L01", "123456789L00",
          "2b8c4c41-5a0e-4d7c-9d0c-0f3a7d1e0001", "loket", "nmbrs", "administrator", "backoffice", "in_yuki",
          "locked", "kantoor.nmbrs.nl", "x@example.nl", "\u202e", "\ufeff1", "Ω" * 3]


def text_values():
    plain = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)
    return st.one_of(st.sampled_from(TRICKY), plain, st.integers().map(str), st.floats().map(str))


_discovered: dict[str, set[str]] | None = None


def _url_name(url: str, page_path: str) -> str | None:
    path = urlsplit(url).path or page_path
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return ADMIN if (match.view_name or "").startswith("admin:") else match.view_name


def discover_fields(client, world) -> dict[str, set[str]]:
    """Field and query parameter names by URL name, read from every page alice (administrator) can open."""
    global _discovered
    if _discovered is not None:
        return _discovered
    found: dict[str, set[str]] = defaultdict(set)
    pages = [(role, name) for role in ("anonymous", "alice") for name, (get_expectation, _post) in MATRIX.items()
             if get_expectation[ROLES.index(role)] == "ok" and name not in ("sandbox", ADMIN)]
    for role, name in pages:
        client.logout()
        if role != "anonymous":
            client.force_login(world.users[role])
        page_url = world.url(name)
        response = client.get(page_url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        document = lxml.html.fromstring(response.content)
        for form in document.forms:
            target = _url_name(form.get("action") or page_url, page_url)
            if target:
                found[target] |= {field.name for field in form.inputs if field.name}
        for link in document.iterlinks():
            href = link[2]
            if "?" in href and (target := _url_name(href, page_url)):
                found[target] |= {key for key, _ in parse_qsl(urlsplit(href).query, keep_blank_values=True)}
    for name, extra in FORM_INDEPENDENT_PARAMETERS.items():
        found[name] |= extra
    found = {name: fields - {"csrfmiddlewaretoken"} for name, fields in found.items()}
    _discovered = found
    return found


@pytest.fixture(autouse=True)
def _bounded():
    """Every query fails, as on SQLite, when an integer beyond 64 bits reaches it: PostgreSQL would just
    match nothing, so without this a missing bound passes here and crashes the one-command run."""
    from tests.test_bounded_inputs import no_id_beyond_the_database

    with no_id_beyond_the_database():
        yield


@pytest.fixture
def world(users, acme, bakkerij, acme_admin, bakkerij_admin, monkeypatch, settings):
    from portal import tasks

    monkeypatch.setattr(tasks, "enqueue", lambda run: None)  # a valid import is created, not run
    settings.NMBRS_ENVIRONMENT = "http://127.0.0.1:9/soap/"  # a credentials check is refused at once
    settings.LOKET_CLIENT_ID = settings.LOKET_CLIENT_SECRET = ""
    return make_world(users, acme, bakkerij, acme_admin, bakkerij_admin)


def allowed(name: str) -> list[tuple[str, str]]:
    """(method, role) pairs whose requests reach the view's input handling (the others are refused first)."""
    pairs = [(method, role) for index, method in enumerate(("get", "post")) for position, role in enumerate(ROLES)
             if MATRIX[name][index][position] in ("ok", "any")]
    return pairs or [("get", "anonymous")]


def send(client, world, method, role, url, data):
    with transaction.atomic():
        client.logout()
        if role != "anonymous":
            client.force_login(world.users[role])
        response = getattr(client, method)(url, data)
        transaction.set_rollback(True)
    assert response.status_code < 500, (method, role, data, response.status_code)
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_no_input_gives_a_server_error(world, client, name):
    fields = sorted(discover_fields(client, world).get(name, set())) or ["q"]
    url = world.url(name)
    pks = [str(world.acme_admin.pk), str(world.nmbrs_admin.pk), str(world.acme.pk), str(world.run.pk),
           str(world.entry.pk), str(world.users["carol"].pk)]
    value = st.one_of(st.sampled_from(TRICKY), text_values(), st.sampled_from(pks))
    targets = allowed(name)
    counts = {"classic": 0, "generated": 0}

    # 1. Each classic bad value in every field at once (a form checks each field), per method, as the
    #    first role that may use it; and alone in each field of a form-less URL or a small form.
    for method in sorted({m for m, _ in targets}):
        role = next(r for m, r in targets if m == method)
        for bad in CLASSIC:
            send(client, world, method, role, url, {field: bad for field in fields})
            counts["classic"] += 1
            if 1 < len(fields) <= 3:
                for field in fields:
                    send(client, world, method, role, url, {field: bad})
                    counts["classic"] += 1

    # 2. Generated combinations: several fields at once, repeated values; half of them as a role and method
    #    that may use the URL, the others as any role (a view may read input before it refuses).
    everyone = [(method, role) for method in ("get", "post") for role in ROLES]

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])
    @given(target=st.one_of(st.sampled_from(targets), st.sampled_from(everyone)),
           data=st.fixed_dictionaries({}, optional={field: st.lists(value, min_size=1, max_size=3)
                                                    for field in fields}))
    def attempt(target, data):
        counts["generated"] += 1
        send(client, world, *target, url, data)

    attempt()
    print(f"\n{name}: {len(fields)} fields, {counts['classic']} classic + {counts['generated']} generated "
          f"requests, 0 server errors")
