"""Every page of the URLconf, with the addresses to read it at in a portal full of realistic data
(tests/i18n/realistic.py): the language tests and the accessibility tests visit the same list, and
both fail when a URL is added without being listed here."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal.models import Administration, Domain, LedgerEntry
from tests.vendor_state import make_administration

# URLs that render no page of their own (actions answer with a redirect), or are not ours to word.
NOT_PAGES = {
    "logout": "POST only, redirects to the login",
    "loket:connect": "redirects to Loket's login",
    "loket:callback": "Loket's redirect back: handles the code, redirects to the settings",
    "loket:disconnect": "POST only, redirects to the settings",
    "portal:import-now": "POST only, redirects to the run",
    "portal:retry-failed": "POST only, redirects to the run",
    "portal:import-bulk": "POST only, redirects to the run log",
    "portal:document-answer": "POST only, redirects to the document",
    "portal:document-resend": "POST only, redirects to the run",
    "portal:notice-dismiss": "POST only, redirects back to the page it was on",
    "portal:domain-employer-remove": "POST only, redirects to the domain's employers",
    "portal:deep-check": "POST only: calls the vendors; its report page is read in its own browser test",
    "portal:test-yuki": "POST only: calls Yuki, redirects to the administration with the outcome as a message",
    "nmbrs:test": "POST only: calls Nmbrs, redirects to the administration with the outcome as messages "
                  "(read in tests/browser/test_journey_nmbrs_card.py)",
    "portal:account-mapping-delete": "POST only, redirects to the ledger accounts page",
    "login_code": "needs a password step in the same session: read in both languages in tests/test_two_factor.py",
    "login_setup": "needs a password step in the same session: read in both languages in tests/test_two_factor.py",
    "portal:two-factor-setup": "only without an app (the visitors here have one): tests/test_two_factor.py",
    "portal:two-factor-recovery-codes": "POST only, new codes: read in both languages in tests/test_two_factor.py",
    "portal:two-factor-remove": "POST only, redirects to the profile",
    "portal:completeness-read-back": "POST only: calls Yuki, redirects to the completeness report with a message",
    "portal:domain-completeness-read-back": "POST only: calls Yuki, redirects to the domain's completeness report",
    "portal:completeness-export": "a CSV or PDF download: its words are read in tests/test_completeness.py",
    "portal:domain-completeness-export": "a CSV or PDF download: its words are read in tests/test_completeness.py",
    "nmbrs_rest:connect": "redirects to Nmbrs' login (read in tests/browser/test_journey_nmbrs_rest.py)",
    "nmbrs_rest:callback": "Nmbrs' redirect back: handles the code, redirects to the settings or the administration",
    "nmbrs_rest:disconnect": "POST only, redirects to the settings",
    "nmbrs_rest:move-from-soap": "POST only, redirects to the administration",
    "nmbrs_rest:move-all": "POST only, redirects to the settings",
    "health": "JSON for monitoring, no words",
    "metrics": "Prometheus text for monitoring, no words",
    "sandbox": "the simulated vendors' own screens (Loket's login, Yuki's view), not the portal's",
}
NOT_OURS = ("admin:",)  # Django's own admin: Django's words and translations, not part of the portal's UI


def url_names() -> set[str]:
    names = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace and (f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace)
                walk(pattern.url_patterns, inner or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
            elif isinstance(pattern, URLPattern):
                names.add(namespace or "")
    walk(get_resolver().url_patterns, "")
    return {n for n in names if not (n + ":").startswith(NOT_OURS)}


def _rest_administration(domain) -> Administration:
    existing = Administration.objects.filter(domain=domain, source="nmbrs_rest").first()
    return existing or make_administration(
        domain=domain, name="Korenschoof (REST)", yuki_administration_id="korenschoof-rest",
        yuki_access_key="rest-access-key", source="nmbrs_rest", relation_code="101")


def pages(portal) -> dict[str, list[tuple[str, dict]]]:
    """URL name -> the addresses to read it at (GET, or POST with data that the form refuses)."""
    domain = portal.korenschoof.domain
    user = get_user_model().objects.get(username="frank")
    return {
        "login": [(reverse("login"), {}), (reverse("login"), {"username": "alice", "password": "wrong"})],
        "password_change": [(reverse("password_change"), {}),
                            (reverse("password_change"), {"old_password": "x", "new_password1": "kort",
                                                          "new_password2": "kort"})],
        "password_change_done": [(reverse("password_change_done"), None)],
        "loket:test": [(reverse("loket:test"), {})],
        "nmbrs:companies": [(reverse("nmbrs:companies", args=[portal.holding.pk]), None)],
        "nmbrs:link-by-number": [(reverse("nmbrs:link-by-number", args=[domain.pk]), None)],
        # Not connected yet: the page says why it lists no companies.
        "nmbrs_rest:companies": [(reverse("nmbrs_rest:companies", args=[_rest_administration(domain).pk]), None)],
        "portal:dashboard": [(reverse("portal:dashboard"), None)],
        "portal:settings": [(reverse("portal:settings"), None),
                            (reverse("portal:settings"), {"section": "import", "import-first_day": "40"}),
                            (reverse("portal:settings"), {"section": "nmbrs", "nmbrs-login_email": "geen-e-mail"})],
        "portal:profile": [(reverse("portal:profile"), None)],
        "portal:domain-employers": [(reverse("portal:domain-employers", args=[domain.pk]), None)],
        "portal:domain-create": [(reverse("portal:domain-create"), None), (reverse("portal:domain-create"), {})],
        "portal:domain": [(reverse("portal:domain", args=[d.pk]), None) for d in Domain.objects.all()],
        "portal:domain-edit": [(reverse("portal:domain-edit", args=[domain.pk]), None)],
        "portal:administration-create": [
            (reverse("portal:administration-create", args=[domain.pk]), None),
            (reverse("portal:administration-create", args=[domain.pk]), {"source": "loket", "name": ""})],
        "portal:administration": [(reverse("portal:administration", args=[a.pk]), None)
                                  for a in Administration.objects.all()],
        "portal:administration-edit": [(reverse("portal:administration-edit", args=[a.pk]), None)
                                       for a in Administration.objects.all()],
        "portal:account-mapping": [(reverse("portal:account-mapping", args=[a.pk]), None)
                                   for a in Administration.objects.all()] + [
            (reverse("portal:account-mapping", args=[portal.korenschoof.pk]), {"payroll_account": "4015"})],
        "portal:completeness": [(reverse("portal:completeness", args=[a.pk]), None)
                                for a in Administration.objects.all()],
        "portal:domain-completeness": [(reverse("portal:domain-completeness", args=[d.pk]), None)
                                       for d in Domain.objects.all()],
        "portal:petty-cash": [(reverse("portal:petty-cash", args=[a.pk]), None)
                              for a in Administration.objects.all()] + [
            (reverse("portal:petty-cash", args=[portal.korenschoof.pk]),
             {"action": "check_line", "account": "20000", "amount": "1.234,50", "description": "Koffie"}),
            (reverse("portal:petty-cash", args=[portal.korenschoof.pk]),
             {"action": "check_line", "account": "10000", "amount": "-12,50", "description": "Koffie",
              "transaction_date": "2026-11-02", "project_code": "P-17"}),
            (reverse("portal:petty-cash", args=[portal.korenschoof.pk]),
             {"action": "send", "payload": "{}"})],
        "portal:runs": [(reverse("portal:runs"), None), (reverse("portal:runs") + "?status=failed", None)],
        "portal:run": [(reverse("portal:run", args=[run.pk]), None) for run in
                       (portal.booked_run, portal.failed_run, portal.annual_run, portal.empty_annual_run,
                        *portal.korenschoof.runs.filter(dry_run=True),
                        *portal.korenschoof.runs.filter(category="petty_cash"))],
        "portal:document": [(reverse("portal:document", args=[e.pk]), None) for e in
                            (portal.document, portal.checked_entry, portal.annual_document,
                             *LedgerEntry.objects.filter(kind="petty_cash"))],
        "portal:needs-check": [(reverse("portal:needs-check"), None)],
        "portal:annual-documents": [(reverse("portal:annual-documents"), None),
                                    (reverse("portal:annual-documents"), {"year": "1800"})],
        "portal:audit": [(reverse("portal:audit"), None)],
        "portal:users": [(reverse("portal:users"), None)],
        "portal:user-create": [(reverse("portal:user-create"), None),
                               (reverse("portal:user-create"), {"username": "gina", "password": "1234"}),
                               (reverse("portal:user-create"), {"username": "hank", "password": "hank"})],
        "portal:user-edit": [(reverse("portal:user-edit", args=[user.pk]), None)],
    }
