from datetime import timedelta

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from portal import permissions
from portal.effective import effective_settings
from portal.models import PortalSettings, ServiceHeartbeat
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
    for domain in permissions.visible_domains(request.user).prefetch_related("administrations"):
        rows = []
        for administration in domain.administrations.all():
            effective = effective_settings(administration, portal)
            rows.append({"administration": administration, "effective": effective,
                         "connection": connection_state(effective)})
        domains.append({"domain": domain, "rows": rows,
                        "yuki_calls": store.calls_on(domain.yuki_domain_id, today),
                        "can_edit": permissions.can_edit_domain(request.user, domain)})
    now = timezone.now()
    services = {hb.name: hb for hb in ServiceHeartbeat.objects.all()}
    scheduler = services.get("beat")
    return render(request, "portal/dashboard.html", {
        "domains": domains,
        "yuki_budget": settings.YUKI_DAILY_BUDGET,
        "scheduler_alive": bool(scheduler and now - scheduler.seen_at < HEARTBEAT_STALE_AFTER),
        "scheduler_seen_at": scheduler.seen_at if scheduler else None,
    })
