from datetime import timedelta

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import render
from django.utils import timezone

from portal import permissions
from portal.effective import effective_settings
from portal.models import ImportRun, Notice, PortalSettings, ServiceHeartbeat
from portal.status import connection_state
from portal.views.access import portal_view
from portal.yuki_store import DatabaseYukiStore
from yuki_client import amsterdam_day

HEARTBEAT_STALE_AFTER = timedelta(minutes=3)


@portal_view()
def dashboard(request):
    portal = PortalSettings.load()
    store, today = DatabaseYukiStore(), amsterdam_day()
    domains = []
    latest = ImportRun.objects.filter(administration=OuterRef("pk")).order_by("-created_at")
    visible = permissions.visible_domains(request.user)
    for domain in visible:
        rows = []
        administrations = domain.administrations.select_related(
            "domain", "own_import_settings", "own_loket_connection", "own_nmbrs_credentials").annotate(
            last_run_id=Subquery(latest.values("pk")[:1]),
            last_run_status=Subquery(latest.values("status")[:1]),
            last_run_at=Subquery(latest.values("created_at")[:1]),
            last_run_result=Subquery(latest.values("result")[:1]))
        for administration in administrations:
            effective = effective_settings(administration, portal)
            rows.append({"administration": administration, "effective": effective,
                         "connection": connection_state(effective)})
        domains.append({"domain": domain, "rows": rows,
                        "yuki_calls": store.calls_on(domain.yuki_domain_id, today),
                        "can_edit": permissions.can_edit_domain(request.user, domain)})
    now = timezone.now()
    services = {hb.name: hb for hb in ServiceHeartbeat.objects.all()}
    scheduler = services.get("beat")
    notices = Notice.objects.filter(resolved_at__isnull=True).filter(
        Q(domain__in=visible) | (Q(domain__isnull=True) if permissions.can_manage_portal_settings(request.user)
                                 else Q(pk__in=[])))[:20]
    return render(request, "portal/dashboard.html", {
        "domains": domains,
        "notices": notices,
        "yuki_budget": settings.YUKI_DAILY_BUDGET,
        "scheduler_alive": bool(scheduler and now - scheduler.seen_at < HEARTBEAT_STALE_AFTER),
        "scheduler_seen_at": scheduler.seen_at if scheduler else None,
    })
