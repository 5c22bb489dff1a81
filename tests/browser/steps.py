"""Small steps the journeys share."""

from __future__ import annotations

from urllib.parse import urlparse


def wait_for_text(page, testid: str, pattern: str, timeout: int = 60_000) -> None:
    """Wait, without reloading, until the element with data-testid `testid` matches `pattern` (a regex)."""
    page.wait_for_function(
        "([id, source]) => { const el = document.querySelector(`[data-testid=\"${id}\"]`);"
        " return el && new RegExp(source).test(el.innerText); }", arg=[testid, pattern], timeout=timeout)


def field_value(page, selector: str) -> str:
    return page.locator(selector).input_value()



# Which URL patterns the journeys reached (by route), written to $JOURNEY_URL_REPORT after the session.
REACHED: dict[str, set[str]] = {}


def reached(url: str, method: str, status: int) -> None:
    from django.urls import Resolver404, resolve

    try:
        match = resolve(urlparse(url).path)
    except Resolver404:
        return
    REACHED.setdefault(match.route, set()).add(f"{method} {status}")


def post_form(journey, path: str, data: dict | None = None):
    """POST like a form of the page would (the session and CSRF cookies of the browser); returns the response.
    For actions whose button a user does not see: the server must refuse them too."""
    page = journey.page
    token = next((c["value"] for c in page.context.cookies() if c["name"] == "csrftoken"), "")

    response = page.request.post(journey.url(path), form={"csrfmiddlewaretoken": token, **(data or {})},
                                 max_redirects=0, headers={"X-CSRFToken": token})
    reached(response.url, "POST", response.status)
    return response


def refused_page(journey, path: str, status: int = 403) -> None:
    """Open `path` in the browser and see the refusal page (403, declared as provoked); 404 for another
    domain's object, which answers exactly as one that does not exist."""
    journey.expect_status(status, path)
    response = journey.goto(path)
    assert response.status == status, f"{path} answered {response.status}"


def seed_two_domains_with_documents():
    """The demo's two domains, each with a run, a failed document, one awaiting an answer, and a notice."""
    from portal.models import Administration, EntryState, ImportRun, LedgerEntry, Notice
    from sandbox.demo import seed_demo_data

    seed_demo_data()
    made = {}
    for administration in Administration.objects.filter(source="loket"):
        run = ImportRun.objects.create(administration=administration, source="loket", trigger="manual",
                                       status="partly_failed", result="1 mislukt")
        failed = LedgerEntry.objects.create(
            administration=administration, source="loket", kind="payslip", source_id=f"ps-{administration.pk}",
            period="2026-10", title=f"Loonstrook {administration.name}", file_name="ls.pdf", content_hash="x",
            content=b"%PDF", state=EntryState.FAILED, last_run=run)
        check = LedgerEntry.objects.create(
            administration=administration, source="loket", kind="journal", source_id=f"jr-{administration.pk}",
            period="2026-10", title=f"Journaal {administration.name}", content_hash="y", journal_lines=[],
            state=EntryState.NEEDS_CHECK, check_by_person=True, last_run=run)
        notice = Notice.objects.create(title=f"Import van {administration.name} mislukt", message="1 mislukt",
                                       domain=administration.domain, administration=administration, run=run)
        made[administration.domain.name] = {"administration": administration, "run": run, "failed": failed,
                                            "check": check, "notice": notice}
    return made


def yuki_knows(yuki_app, domain_id: str, administration_id: str, access_key: str, name: str) -> None:
    """The Yuki sandbox holds this administration and a key for it: the administration form checks a key
    and ID with Yuki before saving (portal/yuki_check.py), so a journey's made-up ones must exist there."""
    from sandbox.yuki.data import STANDARD_GL_ACCOUNTS, SandboxAdministration, SandboxDomain

    state = yuki_app.state
    domain = state.domains.get(domain_id) or SandboxDomain(domain_id, f"Domein {domain_id}")
    known = state.access_keys.get(access_key)
    reaches = (*(known.administration_ids if known else ()), administration_id)  # a known key keeps its reach
    state.register(domain, [SandboxAdministration(administration_id, name, domain_id,
                                                  gl_accounts=dict(STANDARD_GL_ACCOUNTS))])
    state.add_access_key(access_key, domain_id, reaches)
