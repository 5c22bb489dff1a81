from collections import defaultdict

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.shortcuts import render
from django.utils import timezone

from portal import permissions
from portal.effective import effective_settings
from portal.health import HEARTBEAT_STALE_AFTER
from portal.models import Administration, ImportRun, Notice, PortalSettings, ServiceHeartbeat, YukiCallCount
from portal.paging import paginate
from portal.sources import registry
from portal.sources.registry import source_of
from portal.views.access import portal_view
from yuki_client import amsterdam_day

# The dashboard groups the administrations by domain and pages the domains: per domain its first
# administrations (by name), the rest on the domain's own page, which pages them all.
DOMAINS_PER_PAGE = 10
ROWS_PER_DOMAIN = 10


def administration_rows(administrations, portal) -> list[dict]:
    """Rows for a list of administrations (dashboard, domain page): settings, connection and last run.

    Fixed queries however many rows: the administrations come with their settings (select_related) and
    the id of their last run (a subquery), the runs themselves in one more query.
    """
    administrations = list(administrations)
    wanted = [a.last_run_id for a in administrations if getattr(a, "last_run_id", None)]
    last_runs = {run.pk: run for run in ImportRun.objects.filter(pk__in=wanted).only(
        "status", "created_at", "result").order_by()} if wanted else {}
    rows = []
    for administration in administrations:
        effective = effective_settings(administration, portal)
        rows.append({"administration": administration, "effective": effective,
                     "connection": source_of(effective.administration).connection_state(effective),
                     "last_run": last_runs.get(getattr(administration, "last_run_id", None))})
    return rows


def with_settings(administrations, last_run: bool = True):
    """Administrations with what their rows show: settings in the same query, the last run's id."""
    administrations = administrations.select_related(
        "domain", "own_import_settings", *registry.administration_relations())
    if not last_run:
        return administrations
    latest = ImportRun.objects.filter(administration=OuterRef("pk")).order_by("-created_at", "-id")
    return administrations.annotate(last_run_id=Subquery(latest.values("pk")[:1]))


@portal_view()
def dashboard(request):
    portal = PortalSettings.load()
    page = paginate(request, permissions.visible_domains(request.user), DOMAINS_PER_PAGE)
    visible = list(page)
    # A fixed number of queries however many domains: administrations, counts, call counts and rights at once.
    first = with_settings(Administration.objects.filter(domain__in=visible)).annotate(
        position=Window(RowNumber(), partition_by=F("domain_id"), order_by=[F("name").asc(), F("pk").asc()]),
    ).filter(position__lte=ROWS_PER_DOMAIN).order_by("domain__name", "name", "pk")
    rows_by_domain = defaultdict(list)
    for row in administration_rows(first, portal):
        rows_by_domain[row["administration"].domain_id].append(row)
    counts = dict(Administration.objects.filter(domain__in=visible).order_by().values("domain_id")
                  .annotate(n=Count("pk")).values_list("domain_id", "n"))
    calls = dict(YukiCallCount.objects.filter(day=amsterdam_day(), domain_id__in=[d.yuki_domain_id for d in visible])
                 .values_list("domain_id", "count"))
    editable = set(permissions.editable_domains(request.user).filter(pk__in=[d.pk for d in visible])
                   .values_list("pk", flat=True))
    domains = [{"domain": domain, "rows": rows_by_domain[domain.pk], "yuki_calls": calls.get(domain.yuki_domain_id, 0),
                "administration_count": counts.get(domain.pk, 0),
                "can_edit": domain.pk in editable} for domain in visible]
    now = timezone.now()
    services = {hb.name: hb for hb in ServiceHeartbeat.objects.all()}
    scheduler = services.get("beat")
    # The notices of every domain the user sees, not only of this page's domains.
    portal_wide = Q(domain__isnull=True) if permissions.can_manage_portal_settings(request.user) else Q(pk__in=[])
    notices = Notice.objects.filter(resolved_at__isnull=True).filter(
        Q(domain__in=permissions.visible_domains(request.user)) | portal_wide).select_related("domain")[:20]
    from portal.views.notices import can_dismiss

    notices = [{"notice": notice, "can_dismiss": can_dismiss(request.user, notice)} for notice in notices]
    return render(request, "portal/dashboard.html", {
        "domains": domains,
        "page": page,
        "notices": notices,
        "yuki_budget": settings.YUKI_DAILY_BUDGET,
        "scheduler_alive": bool(scheduler and now - scheduler.seen_at < HEARTBEAT_STALE_AFTER),
        "scheduler_seen_at": scheduler.seen_at if scheduler else None,
    })
