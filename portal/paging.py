"""Paging of the list pages: one Paginator per list, page links that keep the page's other filters.

Each list page shows a bounded number of rows whatever the size of the portal, with a fixed number
of queries (the rows, their count, and the same few lookups per page). Rendered by
templates/includes/pager.html.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

# Rows per page of the plain lists (run log, audit log, users, a domain's administrations, to check).
PER_PAGE = 50


# The logs (runs, audit) grow every night: their pager counts up to this many rows, not all of them
# (a count reads every row it counts). Further back than that, a filter finds it.
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts at most `cap` rows (one bounded query whatever the table's size); `capped` says there are more."""

    def __init__(self, *args, cap: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        # Unordered: which rows fill the cap does not change how many there are, and no sort is needed.
        items = self.object_list.order_by() if hasattr(self.object_list, "order_by") else self.object_list
        counted = items[: self.cap + 1].count() if hasattr(items, "count") else len(items[: self.cap + 1])
        self.capped = counted > self.cap
        return min(counted, self.cap)


def paginate(request, items, per_page: int = PER_PAGE, param: str = "page", cap: int | None = None) -> Page:
    """The requested page of `items` (an ordered queryset or list); a page number out of range or not a
    number gives the nearest page. The page carries `param` and `query` (the request's other GET
    parameters, URL-encoded) for the pager's links. With `cap`, at most that many rows are counted."""
    paginator = CappedPaginator(items, per_page, cap=cap) if cap else Paginator(items, per_page)
    page = paginator.get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    page.param = param
    page.query = query.urlencode()
    page.links = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page
