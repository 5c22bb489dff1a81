"""Numbers, dates, periods and counts as a Dutch bookkeeper writes them (and as an English reader
does): 1.234,56 and 30-11-2026; an annual document's period '2025-P00' reads '2025'; '1 administratie'."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.template import Context, Template
from django.urls import reverse
from django.utils import formats, translation

from portal.languages import choose_language
from portal.models import EntryState, LedgerEntry
from tests.i18n.realistic import log_in

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load portal_format %}" + source).render(Context(context))


@pytest.mark.parametrize(("language", "expected"), [("nl", "1.234,56"), ("en", "1,234.56")])
def test_amounts_have_two_decimals_and_grouped_thousands(language, expected):
    assert render("{{ a|amount }}", language, a="1234.56") == expected
    assert render("{{ a|amount }}", language, a="-1234567.5") == (
        "-1.234.567,50" if language == "nl" else "-1,234,567.50")
    assert render("{{ a|amount }}", language, a="0") == ("0,00" if language == "nl" else "0.00")


@pytest.mark.parametrize(("language", "short", "with_time"), [
    ("nl", "05-01-2026", "05-01-2026 14:05"), ("en", "2026-01-05", "2026-01-05 14:05")])
def test_dates_in_the_readers_format(language, short, with_time):
    """Django's own Dutch short format writes 5-1-2026 (and its English one 01/05/2026)."""
    moment = datetime(2026, 1, 5, 14, 5, tzinfo=AMSTERDAM)
    with translation.override(language):
        assert formats.date_format(date(2026, 1, 5), "SHORT_DATE_FORMAT") == short
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == with_time
        assert formats.date_format(date(2026, 11, 30), "SHORT_DATE_FORMAT") in ("30-11-2026", "2026-11-30")
    assert render("{{ d|day }}", language, d="2026-01-05") == short


@pytest.mark.parametrize(("key", "nl", "en"), [
    ("2025-P00", "2025", "2025"),
    ("2026-11", "november 2026", "November 2026"),
    ("2026-P13", "periode 13 2026", "period 13 2026"),
])
def test_periods_in_words(key, nl, en):
    assert render("{{ p|period }}", "nl", p=key) == nl
    assert render("{{ p|period }}", "en", p=key) == en


def page_text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.django_db
def test_an_annual_document_reads_its_year_and_dates_read_dutch(users, acme_admin, login):
    entry = LedgerEntry.objects.create(
        administration=acme_admin, source="nmbrs", kind="annual_document", source_id="annual:2025:jaaropgaaf",
        period="2025-P00", title="Jaaropgaaf 2025", content_hash="x", state=EntryState.BOOKED,
        booked_at=datetime(2026, 1, 30, 9, 15, tzinfo=AMSTERDAM), yuki_reference="ref-1")
    text = page_text(login(users["alice"]).get(reverse("portal:document", args=[entry.pk])))
    assert "Jaaropgaaf 2025 2025" in text and "P00" not in text
    assert "30-01-2026 09:15" in text
    text = page_text(login(users["alice"]).get(reverse("portal:administration", args=[acme_admin.pk])))
    assert "P00" not in text and "30-01-2026 09:15" in text


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "one", "two"), [
    ("nl", "voor 1 administratie.", "voor 2 administraties."),
    ("en", "for 1 administration.", "for 2 administrations."),
])
def test_counts_use_the_right_plural(users, acme, login, monkeypatch, language, one, two):
    from portal import tasks
    from portal.models import Administration

    monkeypatch.setattr(tasks, "enqueue", lambda run: None)  # the message is what this test reads
    first, second = (Administration.objects.create(domain=acme, name=f"Nmbrs {n} B.V.", source="nmbrs",
                                                   yuki_administration_id=f"adm-{n}", yuki_access_key="k")
                     for n in (1, 2))
    choose_language(users["alice"], language)
    client = login(users["alice"])
    year = date.today().year - 1

    def said(chosen) -> str:
        response = client.post(reverse("portal:annual-documents"), {"year": year, "administration": chosen})
        return " ".join(str(m) for m in get_messages(response.wsgi_request))

    assert said([first.pk]).endswith(one)
    assert said([first.pk, second.pk]).endswith(two)


def test_a_dry_run_shows_amounts_dates_and_folders_as_a_dutch_bookkeeper_writes_them(realistic_portal):
    client = log_in(realistic_portal.admin)
    text = page_text(client.get(reverse("portal:run", args=[realistic_portal.dry_run.pk])))
    amounts = re.findall(r"-?\d{1,3}(?:\.\d{3})*,\d{2}\b", text)
    assert amounts, "journal lines with amounts such as 1.234,56"
    assert not re.search(r"\b\d+\.\d{2}\b", text), "no amounts with a decimal point"
    assert re.search(r"\b\d{2}-\d{2}-\d{4}\b", text) and not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text)
    assert "Yuki-map Personeel" in text and "Yuki-map Belasting" in text, "folders by their names in Yuki"
    assert "(tax)" not in text and "(personnel)" not in text
