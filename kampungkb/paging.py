from django.core.paginator import Paginator

PAGE_SIZE = 50


def paginate(request, queryset, per_page=PAGE_SIZE):
    """A page of `queryset` and the current filters (without the page) for the links."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": page, "query": query.urlencode()}
