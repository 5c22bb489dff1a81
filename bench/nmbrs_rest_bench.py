"""The Nmbrs REST part of bench/bench_import.py (--source nmbrs-rest): its sandbox, the portal's OAuth
connection to it, the administrations linked by company UUID, and its lower bound.

The REST sandbox serves the SOAP sandbox's payroll world (the generated companies included), answers each
document task's first poll with 202 (sandbox/nmbrs_rest/state.py, polls_before_ready) and gets the same
added latency as the other vendors. Its burst limit (429 + Retry-After) is lifted, as Yuki's daily limit:
the bench measures cost, not a plan's limit.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

SOURCE = "nmbrs_rest"  # the registry key of --source nmbrs-rest


def create_sandbox(payroll):
    from integrations.nmbrs_rest.access import redirect_uri
    from sandbox.nmbrs_rest import create_app

    app = create_app(redirect_uris=[redirect_uri()])
    app.state.payroll = payroll
    app.state.burst_calls = 10**9
    return app


def connect(server_url: str):
    """The portal's app, key and shared connection, through the real OAuth flow against the sandbox (the
    person's login and "Toestaan" posted as a browser would)."""
    import httpx2

    from connectors.nmbrs_rest.oauth import parse_callback
    from integrations.nmbrs_rest.access import oauth, store_authorisation
    from integrations.nmbrs_rest.models import NmbrsRestPortalAccess, set_portal_connection
    from portal.models import PortalSettings
    from sandbox.nmbrs_rest import data

    portal = PortalSettings.load()
    NmbrsRestPortalAccess.objects.update_or_create(portal=portal, defaults={
        "client_id": data.CLIENT_ID, "client_secret": data.CLIENT_SECRET, "subscription_key": data.SUBSCRIPTION_KEY})
    steps = oauth(portal)
    url, state = steps.authorization_url()
    with httpx2.Client() as browser:
        browser.get(url)
        consent = browser.post(url, data={"step": "login", "username": data.DEMO_USERNAME,
                                          "password": data.DEMO_PASSWORD})
        ticket = re.search(r'name="ticket" value="([^"]+)"', consent.text).group(1)
        back = browser.post(url, data={"step": "consent", "ticket": ticket, "decision": "allow"})
    params = dict(parse_qsl(urlsplit(back.headers["Location"]).query))
    connection = store_authorisation(None, steps.exchange_code(parse_callback(params, state)), None)
    set_portal_connection(PortalSettings.load(), connection)


def link(administration, company) -> None:
    """The administration uses the portal's connection and is linked to the company's UUID and number; the
    portal's shared access reaches only companies assigned to the domain (as Loket's employers)."""
    from integrations.nmbrs_rest.models import NmbrsRestLink
    from portal.models.employers import AssignedEmployer
    from sandbox.nmbrs_rest import data

    AssignedEmployer.objects.create(domain=administration.domain, source=SOURCE, number=str(company.number),
                                    name=company.name)
    NmbrsRestLink.objects.update_or_create(administration=administration, defaults={
        "use_portal_access": True, "company_id": data.company_uid(company.id), "company_number": str(company.number),
        "company_name": company.name, "debtor_id": data.debtor_uid(company.debtor_id)})


def is_task_call(operation: str) -> bool:
    """A document task's start or one of its polls (the calls the connector makes from its thread pool)."""
    path = operation.split(" ", 1)[-1]
    return path.startswith("/api/documents/") or path.endswith(
        ("/journals", "/sepa", "/xml", "/payslipperperiod", "/annualstatement"))


def lower_bounds(calls: dict, sequential_other: int, latency: float, concurrency: int) -> dict:
    """Two lower bounds of the night's wall time, with the 202 polls counted as calls.

    `naive`: every vendor call (Yuki, the REST lists, task starts and every poll) x latency / worker
    processes: the formula of the other sources. It is NOT a lower bound here: each worker process starts
    and polls its tasks on `Polling.concurrency` threads, so up to that many REST calls overlap.
    `threads`: a true lower bound: the calls a process makes one at a time (Yuki, REST lists, OAuth) cost
    latency each, the task calls latency / threads each (perfectly packed), over the worker processes. The
    pause between poll rounds (0.5 s after the first 202, connectors/nmbrs_rest/tasks.py) is not a call and
    is not in it.
    """
    from connectors.nmbrs_rest.tasks import DEFAULT_POLLING

    api = {k.split(":", 1)[1]: v for k, v in calls.items() if "/api/" in k}
    task_calls = sum(v for op, v in api.items() if is_task_call(op))
    polls = sum(v for op, v in api.items() if op.split(" ", 1)[-1].startswith("/api/documents/"))
    lists = sum(api.values()) - task_calls
    threads = DEFAULT_POLLING.concurrency
    return {"api_calls": sum(api.values()), "task_calls": task_calls, "polls": polls, "lists": lists,
            "threads": threads,
            "naive": (sequential_other + lists + task_calls) * latency / concurrency,
            "threads_bound": (sequential_other + lists + task_calls / threads) * latency / concurrency}


def polls_per_task(app) -> dict[int, int]:
    """How many tasks were polled how many times (1 = ready at the first poll)."""
    counts: dict[int, int] = {}
    for task in app.state.tasks.values():
        counts[task.polls] = counts.get(task.polls, 0) + 1
    return dict(sorted(counts.items()))
