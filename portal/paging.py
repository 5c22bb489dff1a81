"""Paging of the list pages: one Paginator per list, page links that keep the page's other filters.

Each list page shows a bounded number of rows whatever the size of the portal, with a fixed number
of queries (the rows, their count, and the same few lookups per page). Rendered by
templates/includes/pager.html.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator

# Rows per page of the plain lists (run log, audit log, users, a domain's administrations, to check).
PER_PAGE = 50


def paginate(request, items, per_page: int = PER_PAGE, param: str = "page") -> Page:
    """The requested page of `items` (an ordered queryset or list); a page number out of range or not a
    number gives the nearest page. The page carries `param` and `query` (the request's other GET
    parameters, URL-encoded) for the pager's links."""
    page = Paginator(items, per_page).get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    page.param = param
    page.query = query.urlencode()
    page.links = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page
