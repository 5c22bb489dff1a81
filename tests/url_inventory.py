"""Every URL of the URLconf by name, and the objects its arguments point at, for the matrix and fuzz tests.

Built from the URLconf itself (django.urls.get_resolver), by URL name: a URL moved to another module
keeps its entry; a new URL has none, and tests/test_url_matrix.py fails until it gets one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal.models import Administration, AssignedEmployer, ImportRun, LedgerEntry, Notice, YukiAccountMapping

ROLES = ["anonymous", "alice", "bob", "carol", "dave", "erin"]
# Django's own admin site has dozens of URLs of one kind: one entry ("admin:*") stands for all of them.
ADMIN = "admin:*"


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield Route(name or f"{namespace or ''}:<unnamed {prefix}{pattern.pattern}>", prefix + str(pattern.pattern))


def routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


def entry_name(route: Route) -> str:
    return ADMIN if route.name.startswith("admin:") else route.name


def url_names() -> set[str]:
    return {entry_name(route) for route in routes()}


@dataclass
class World:
    acme: object
    bakkerij: object
    acme_admin: Administration
    nmbrs_admin: Administration
    run: ImportRun
    entry: LedgerEntry
    users: dict
    notice: Notice
    employer: AssignedEmployer
    mapping: YukiAccountMapping
    rest_admin: Administration | None = None  # imports through Nmbrs' REST API

    def url(self, name: str) -> str:
        if name == ADMIN:
            return reverse("admin:index")
        kwargs = {
            "nmbrs:companies": {"pk": self.nmbrs_admin.pk},
            "nmbrs:link-by-number": {"pk": self.acme.pk},
            "nmbrs:test": {"pk": self.nmbrs_admin.pk},
            "nmbrs_rest:companies": {"pk": self.rest_admin.pk},
            "nmbrs_rest:move-from-soap": {"pk": self.nmbrs_admin.pk},
            "portal:domain": {"pk": self.acme.pk},
            "portal:domain-edit": {"pk": self.acme.pk},
            "portal:administration-create": {"domain_pk": self.acme.pk},
            "portal:administration": {"pk": self.acme_admin.pk},
            "portal:administration-edit": {"pk": self.acme_admin.pk},
            "portal:import-now": {"pk": self.acme_admin.pk},
            "portal:retry-failed": {"pk": self.acme_admin.pk},
            "portal:import-bulk": {"domain_pk": self.acme.pk},
            "portal:run": {"pk": self.run.pk},
            "portal:document": {"pk": self.entry.pk},
            "portal:document-answer": {"pk": self.entry.pk},
            "portal:user-edit": {"pk": self.users["carol"].pk},
            "portal:document-resend": {"pk": self.entry.pk},
            "portal:notice-dismiss": {"pk": self.notice.pk},
            "portal:domain-employers": {"pk": self.acme.pk},
            "portal:domain-employer-remove": {"pk": self.acme.pk, "employer_pk": self.employer.pk},
            "portal:deep-check": {"pk": self.acme_admin.pk},
            "portal:test-yuki": {"pk": self.acme_admin.pk},
            "portal:account-mapping": {"pk": self.acme_admin.pk},
            "portal:petty-cash": {"pk": self.acme_admin.pk},
            "portal:account-mapping-delete": {"pk": self.acme_admin.pk, "mapping_pk": self.mapping.pk},
            "portal:completeness": {"pk": self.acme_admin.pk},
            "portal:completeness-read-back": {"pk": self.acme_admin.pk, "month": "2026-10"},
            "portal:completeness-export": {"pk": self.acme_admin.pk, "month": "2026-11", "fmt": "csv"},
            "portal:domain-completeness": {"pk": self.acme.pk},
            "portal:domain-completeness-read-back": {"pk": self.acme.pk, "month": "2026-10"},
            "portal:domain-completeness-export": {"pk": self.acme.pk, "month": "2026-11", "fmt": "pdf"},
            "sandbox": {"vendor": "yuki", "rest": ""},
        }.get(name, {})
        return reverse(name, kwargs=kwargs)


def make_world(users, acme, bakkerij, acme_admin, bakkerij_admin) -> World:
    nmbrs_admin = Administration.objects.create(
        domain=acme, name="Acme Nmbrs B.V.", yuki_administration_id="00000000-0000-4000-8000-0000000000a2",
        yuki_access_key="k", source="nmbrs", relation_code="301")
    LedgerEntry.objects.create(administration=acme_admin, source="loket", kind="payslip", source_id="ps-1",
                               period="2026-11", title="Loonstrook", file_name="ls.pdf", content_hash="x",
                               content=b"%PDF", state="failed")
    run = ImportRun.objects.create(administration=acme_admin, source="loket", trigger="scheduled", slot="acme-run",
                                   status="succeeded")
    entry = LedgerEntry.objects.create(administration=acme_admin, source="loket", kind="payslip",
                                       source_id="ps-check", period="2026-11", title="Loonstrook 2",
                                       file_name="ls2.pdf", content_hash="y", content=b"%PDF",
                                       state="needs_check", check_by_person=True)
    notice = Notice.objects.create(title="Import mislukt", message="m", domain=acme, administration=acme_admin)
    employer = AssignedEmployer.objects.filter(domain=acme).first()
    mapping = YukiAccountMapping.objects.create(administration=acme_admin, payroll_account="4015", yuki_account="4000")
    rest_admin = Administration.objects.create(
        domain=acme, name="Acme Nmbrs REST B.V.", yuki_administration_id="00000000-0000-4000-8000-0000000000a3",
        yuki_access_key="k", source="nmbrs_rest", relation_code="302")
    return World(acme, bakkerij, acme_admin, nmbrs_admin, run, entry, users, notice, employer, mapping, rest_admin)
