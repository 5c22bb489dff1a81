"""The Importlog at 1280 px is a table a bookkeeper scans (measured in Chromium): the page's width and no
wider, one line a run (dates whole, a long result cut off, in full on the run's page), the status a
badge in its cell and no row coloured as a whole; ten runs fit on one screen. (Before: a 1028 px column,
rows of 536 px: ten runs were 5,358 px.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from portal.models import Administration, ImportRun, PortalRole
from sandbox.demo import seed_demo_data
from tests.people import make_user

LONG_RESULT = ("12 documenten opgehaald, 9 geboekt, 0 ongewijzigd, 3 mislukt. Niet opgehaald: Loket, journaalpost "
               "2026-11: de journaalpost is niet in balans (debet 10.234,56, credit 10.234,55); Loket, loonaangifte "
               "2026-10: het recht 'Aangifte loonheffingen inzien' ontbreekt voor de Loket-gebruiker.")

NOON = datetime(2026, 11, 30, 11, 0, tzinfo=UTC)  # 12:00 in Amsterdam: every run below starts and ends that day


def test_ten_runs_fit_one_screen_one_line_each(journey, vendors):
    seed_demo_data()
    administration = Administration.objects.get(name="Bakkerij De Korenschoof B.V.")
    now = NOON  # not the real clock: near midnight a run would start on one day and end on the next
    for hours, status in enumerate(["failed", "succeeded", "partly_failed", "skipped", "succeeded"] * 2):
        started = now - timedelta(hours=hours + 1)
        ImportRun.objects.create(administration=administration, source="loket", trigger="scheduled",
                                 status=status, result=LONG_RESULT, started_at=started,
                                 finished_at=started + timedelta(minutes=3), fetched=12, booked=9, failed=3)
    journey.login(make_user("alice", PortalRole.ADMINISTRATOR))
    page = journey.page
    page.set_viewport_size({"width": 1280, "height": 800})
    journey.goto("/runs/")

    table = page.locator("table.runs")
    assert table.bounding_box()["width"] >= 1150, "the page's width, not a narrow column"
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), "and no wider than the screen"
    assert page.locator(".table-scroll").evaluate("el => el.scrollWidth <= el.clientWidth"), "no sideways scrolling"
    rows = table.locator("tbody tr")
    assert rows.count() == 10
    heights = [rows.nth(i).bounding_box()["height"] for i in range(10)]
    line = page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight)")
    # One line a run (the administration's name and domain may take two).
    assert max(heights) < 2 * line + 16, f"rows are {heights} px, a line is {line} px"
    assert sum(heights) < 800 - table.bounding_box()["y"] + 200, "ten runs on about one screen"

    first = rows.first
    for cell in first.locator("td.when").all():  # date and time on one line
        assert cell.evaluate("el => el.getClientRects().length === 1 && el.scrollHeight <= el.clientHeight + 1")
    status = first.get_by_test_id("run-log-status")
    assert "badge" in status.get_attribute("class")
    red = status.evaluate("el => getComputedStyle(el).color")
    plain = first.locator("td").nth(1).evaluate("el => getComputedStyle(el).color")
    assert red != plain, "the status has its colour, the rest of the row does not"
    result = first.locator("td.result .one-line")
    assert result.evaluate("el => el.scrollWidth > el.clientWidth"), "the long result is cut off"
    assert first.locator("td.result").get_attribute("title") == LONG_RESULT

    status.click()  # the whole result on the run's page
    page.wait_for_url("**/runs/*/")
    assert page.get_by_test_id("run-result").inner_text() == LONG_RESULT


def test_a_run_page_header_without_periods_has_no_stray_dot(journey, vendors):
    """A retry run fetches nothing, so it has no periods: its header ends on who asked ("... · alice"), not
    on a stray "·" ("Mislukte documenten opnieuw · alice ·")."""
    seed_demo_data()
    administration = Administration.objects.get(name="Bakkerij De Korenschoof B.V.")
    alice = make_user("alice", PortalRole.ADMINISTRATOR)
    now = NOON
    retry = ImportRun.objects.create(administration=administration, source="loket", trigger="retry", status="succeeded",
                                     result="1 document geboekt.", started_at=now, finished_at=now, requested_by=alice)
    journey.login(alice)
    journey.goto(f"/runs/{retry.pk}/")
    header = journey.page.get_by_test_id("run-header").inner_text().strip()
    assert header.endswith("alice") and "·" in header, header
