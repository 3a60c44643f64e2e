import math
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Q, Subquery

PAGE_SIZE = 50

#: Query parameters of the keyset pages: the row a page starts after or ends before,
#: that row's value of the sorted field, the page's number, which is shown and never
#: used to find the rows, and the last page (the last rows, whatever came before).
AFTER, BEFORE, KEY, NUMBER, LAST = "setelah", "sebelum", "kunci", "halaman", "akhir"
#: Every parameter that picks a page rather than filters the rows.
PAGING = (AFTER, BEFORE, KEY, NUMBER, LAST, "page")


@dataclass
class PageLinks:
    """What the pagination partial draws: where we are, the two neighbours, and the
    first and last pages (each a query string, None where there is no such page)."""

    number: int
    num_pages: int
    previous: str | None = None
    next: str | None = None
    first: str | None = None
    last: str | None = None


def _query_without(request, *names):
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query


def filter_query(request):
    """The current filters as a query string, without the page or the row a page
    starts at: for links that take the same filters elsewhere (an export)."""
    return _query_without(request, *PAGING).urlencode()


def _link(query, **params):
    query = query.copy()
    query.update(params)
    return query.urlencode()


def paginate(request, queryset, per_page=PAGE_SIZE):
    """A page of `queryset` by number (Django's Paginator), with links to its neighbours."""
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get("page"))
    query = _query_without(request, "page")
    links = PageLinks(page.number, paginator.num_pages)
    if page.has_previous():
        links.previous = _link(query, page=page.previous_page_number())
        links.first = _link(query, page=1)
    if page.has_next():
        links.next = _link(query, page=page.next_page_number())
        links.last = _link(query, page=paginator.num_pages)
    return {"page": page, "page_links": links, "count": paginator.count}


def _row_id(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _beyond(queryset, field, pk, key, *, after):
    """Rows after (or before) row `pk`, whose `field` is `key`, in (`field`, id) order,
    written so that the index on (`field`, id) can seek straight to it: field ≥
    anchor, then break ties. A link without the key (bookmarked before links carried
    it) has the row's field read by a subquery, which took longer to compile than
    the rest of the page's query."""
    anchor = key
    if key is None:
        anchor = Subquery(queryset.model._base_manager.filter(pk=pk).values(field)[:1])
    if after:
        return Q(**{f"{field}__gte": anchor}) & (Q(**{f"{field}__gt": anchor}) | Q(pk__gt=pk))
    return Q(**{f"{field}__lte": anchor}) & (Q(**{f"{field}__lt": anchor}) | Q(pk__lt=pk))


def keyset_paginate(request, queryset, *, count=None, field="name", per_page=PAGE_SIZE):
    """A page of `queryset` in (`field`, id) order that starts after or ends before a row.

    Links name a row (?setelah=<id>, ?sebelum=<id>, with its `field` as ?kunci=)
    instead of an offset, so the 500th page is found through the (`field`, id) index
    as quickly as the first. The count of all matching rows, counted here unless the
    caller knows it, only numbers the pages.
    """
    if count is None:
        count = queryset.count()
    after = _row_id(request.GET.get(AFTER))
    before = None if after else _row_id(request.GET.get(BEFORE))
    last_page = not (after or before) and request.GET.get(LAST) == "1"
    key = request.GET.get(KEY)
    rows = queryset.order_by(field, "id")
    if after:
        rows = rows.filter(_beyond(queryset, field, after, key, after=True))
    elif before:
        rows = rows.filter(_beyond(queryset, field, before, key, after=False))
    if before or last_page:
        rows = rows.reverse()
    rows = list(rows[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    if before or last_page:
        rows.reverse()

    num_pages = max(1, math.ceil(count / per_page))
    number = _row_id(request.GET.get(NUMBER)) if (after or before) else 1
    number = num_pages if last_page else min(max(number or 1, 1), num_pages)
    query = _query_without(request, *PAGING)
    links = PageLinks(number, num_pages)
    if rows and (after or ((before or last_page) and more)):
        first = rows[0]
        links.previous = _link(
            query, **{BEFORE: first.pk, KEY: getattr(first, field), NUMBER: max(number - 1, 1)}
        )
        links.first = query.urlencode()
    if rows and (more or before) and not last_page:
        last = rows[-1]
        links.next = _link(query, **{AFTER: last.pk, KEY: getattr(last, field), NUMBER: number + 1})
        links.last = _link(query, **{LAST: 1})
    return {"page": rows, "page_links": links, "count": count}
