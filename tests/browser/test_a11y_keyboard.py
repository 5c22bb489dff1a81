"""Every form can be used with the keyboard alone: Tab reaches each of its controls (in the order they
are shown), and a person can fill in and submit a form without a mouse."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.models import PortalRole, UserProfile
from tests.people import make_user

pytestmark = pytest.mark.browser

CONTROLS = ("main input:not([type=hidden]):not([disabled]), main select:not([disabled]), "
            "main textarea:not([disabled]), main button:not([disabled]), main a[href]")


UNSEEN = "unseen"


def tab_stops(page, limit: int = 200) -> list[str]:
    """The elements inside <main> that Tab reaches, from the top of the page, as unique keys; a stop
    without a visible focus indicator (no outline, no shadow) is reported as 'unseen:<key>'."""
    page.evaluate("document.querySelector('header a').focus()")  # start at the top, before <main>
    reached = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        key = page.evaluate("""() => {
            const el = document.activeElement;
            if (!el || el === document.body) return null;
            if (!el.closest('main')) return 'outside';
            const style = getComputedStyle(el);
            const seen = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
                || style.boxShadow !== 'none';
            return (seen ? '' : 'unseen:') + (el.dataset.a11yKey || '');
        }""")
        if key and key != "outside" and key not in reached:
            reached.append(key)
        if key is None:
            break
    return reached


def visible_controls(page) -> list[str]:
    """Each visible, enabled control in <main>, tagged with a key in document order."""
    return page.evaluate("""(selector) => {
        const out = [];
        document.querySelectorAll(selector).forEach((el, i) => {
            const box = el.getBoundingClientRect();
            const style = getComputedStyle(el);
            if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') return;
            el.dataset.a11yKey = el.tagName.toLowerCase() + ':' + (el.id || el.name || el.textContent.trim()) + ':' + i;
            out.push(el.dataset.a11yKey);
        });
        return out;
    }""", CONTROLS)


@pytest.mark.django_db(transaction=True)
def test_tab_reaches_every_control_of_every_form(page_as, acme_admin, bakkerij):
    alice = make_user("alice", PortalRole.ADMINISTRATOR)
    page = page_as(alice)
    unreachable = {}
    for url in (reverse("portal:settings"), reverse("portal:profile"), reverse("portal:user-create"),
                reverse("portal:administration-edit", args=[acme_admin.pk]),
                reverse("portal:administration-create", args=[bakkerij.pk]),
                reverse("portal:domain-edit", args=[bakkerij.pk]), reverse("portal:annual-documents"),
                reverse("portal:runs"), reverse("portal:audit"), reverse("password_change")):
        page.goto(url)
        controls = visible_controls(page)
        assert controls, url
        stops = tab_stops(page)
        unseen = [stop for stop in stops if stop.startswith(UNSEEN)]
        assert not unseen, f"{url}: focus is not visible on {unseen}"
        reached = stops
        missing = [c for c in controls if c not in reached]
        if missing:
            unreachable[url] = missing
        order = [c for c in reached if c in controls]
        assert order == sorted(order, key=controls.index), f"{url}: Tab follows the page's order"
    assert not unreachable, unreachable


@pytest.mark.django_db(transaction=True)
def test_the_profile_form_without_a_mouse(page_as):
    alice = make_user("alice", PortalRole.ADMINISTRATOR)
    page = page_as(alice)
    page.goto(reverse("portal:profile"))
    select = page.get_by_label("Taal van het portaal")
    page.keyboard.press("Tab")
    for _ in range(50):
        if page.evaluate("document.activeElement.id") == "id_language":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_language", "Tab reaches the language"
    page.keyboard.press("ArrowDown")  # Nederlands -> English
    assert select.input_value() == "en"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit", "the next stop is the save button"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "en"
    assert UserProfile.objects.get(user=alice).language == "en"
