from collections import defaultdict

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import render
from django.utils import timezone

from portal import permissions
from portal.effective import effective_settings
from portal.health import HEARTBEAT_STALE_AFTER
from portal.models import Administration, ImportRun, Notice, PortalSettings, ServiceHeartbeat, YukiCallCount
from portal.sources import registry
from portal.status import connection_state
from portal.views.access import portal_view
from yuki_client import amsterdam_day


@portal_view()
def dashboard(request):
    portal = PortalSettings.load()
    latest = ImportRun.objects.filter(administration=OuterRef("pk")).order_by("-created_at")
    visible = list(permissions.visible_domains(request.user))
    # A fixed number of queries however many domains: administrations, call counts and rights at once.
    administrations = Administration.objects.filter(domain__in=visible).select_related(
        "domain", "own_import_settings", *registry.administration_relations()).annotate(
        last_run_id=Subquery(latest.values("pk")[:1]),
        last_run_status=Subquery(latest.values("status")[:1]),
        last_run_at=Subquery(latest.values("created_at")[:1]),
        last_run_result=Subquery(latest.values("result")[:1]))
    rows_by_domain = defaultdict(list)
    for administration in administrations:
        effective = effective_settings(administration, portal)
        rows_by_domain[administration.domain_id].append(
            {"administration": administration, "effective": effective, "connection": connection_state(effective)})
    calls = dict(YukiCallCount.objects.filter(day=amsterdam_day(), domain_id__in=[d.yuki_domain_id for d in visible])
                 .values_list("domain_id", "count"))
    editable = set(permissions.editable_domains(request.user).values_list("pk", flat=True))
    domains = [{"domain": domain, "rows": rows_by_domain[domain.pk], "yuki_calls": calls.get(domain.yuki_domain_id, 0),
                "can_edit": domain.pk in editable} for domain in visible]
    now = timezone.now()
    services = {hb.name: hb for hb in ServiceHeartbeat.objects.all()}
    scheduler = services.get("beat")
    notices = Notice.objects.filter(resolved_at__isnull=True).filter(
        Q(domain__in=visible) | (Q(domain__isnull=True) if permissions.can_manage_portal_settings(request.user)
                                 else Q(pk__in=[]))).select_related("domain")[:20]
    from portal.views.notices import can_dismiss

    notices = [{"notice": notice, "can_dismiss": can_dismiss(request.user, notice)} for notice in notices]
    return render(request, "portal/dashboard.html", {
        "domains": domains,
        "notices": notices,
        "yuki_budget": settings.YUKI_DAILY_BUDGET,
        "scheduler_alive": bool(scheduler and now - scheduler.seen_at < HEARTBEAT_STALE_AFTER),
        "scheduler_seen_at": scheduler.seen_at if scheduler else None,
    })
