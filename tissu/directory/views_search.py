"""Directory views: the searchable list of associations and its map."""

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers
from django.utils.text import capfirst
from django.views.decorators.http import require_safe

from tissu.directory.forms_search import AssociationSearchForm
from tissu.directory.search_selectors import MAP_PAGE_SIZE, office_address, search_results, search_settings


def _is_office(user) -> bool:
    return user.is_authenticated and user.is_associations_office


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _add_addresses(page) -> None:
    """Each result's address line and profile URL (one reverse() for the page: slugs need no quoting)."""
    page.object_list = list(page.object_list)
    placeholder = "__slug__"
    detail_url = reverse("directory:association-detail", args=[placeholder])
    for association in page.object_list:
        association.address_line = office_address(association)
        association.url = detail_url.replace(placeholder, association.slug)


def _prepare_facets(facets) -> None:
    """What the template prints for each checkbox, computed here once: the page may offer 60 of them,
    and the same work done by template tags and filters was a tenth of the response time."""
    for facet in facets:
        flags = facet.name == "flags"
        for value in facet.values:
            value.field = value.value if flags else facet.name
            value.field_value = "1" if flags else value.value
            value.input_id = f"facet-{value.value}" if flags else f"facet-{facet.name}-{value.value}"
            value.text = value.label if flags else capfirst(value.label)
            value.count_text = "" if value.count is None else intcomma(value.count)


def _render(request, template: str, context: dict):
    """The whole page, or only its results region for htmx (not for htmx's history restore: a full page)."""
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, f"{template}#results" if partial else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
def association_list(request):
    form = AssociationSearchForm(request.GET or None)
    filters = form.filters()
    with search_settings():
        results = search_results(filters=filters, page_number=request.GET.get("page"), staff=_is_office(request.user))
        _add_addresses(results.page)
    _prepare_facets(results.facets)
    context = {
        "form": form,
        "filters": filters,
        "results": results,
        "page": results.page,
        "query": _query_without_page(request),
    }
    return _render(request, "directory/search/association_list.html", context)


@require_safe
def association_map(request):
    """The same search on a map, with the equivalent list (the list alone without JavaScript)."""
    form = AssociationSearchForm(request.GET or None)
    filters = form.filters()
    with search_settings():
        results = search_results(
            filters=filters,
            page_number=request.GET.get("page"),
            staff=_is_office(request.user),
            per_page=MAP_PAGE_SIZE,
            with_facets=False,
            located=True,
        )
        _add_addresses(results.page)
    markers = [
        {
            "name": association.name,
            "lat": float(association.latitude),
            "lng": float(association.longitude),
            "url": association.url,
            "address": association.address_line,
        }
        for association in results.page
    ]
    # The other filters ride along as hidden fields, so that searching again from the map keeps them.
    hidden = [
        (name, value) for name, values in request.GET.lists() if name in form.fields and name != "q" for value in values
    ]
    context = {
        "form": form,
        "filters": filters,
        "results": results,
        "page": results.page,
        "markers": markers,
        "hidden": hidden,
        "query": _query_without_page(request),
        "tile_url": settings.TILE_URL,
        "tile_attribution": settings.TILE_ATTRIBUTION,
    }
    return render(request, "directory/search/association_map.html", context)


urlpatterns = [
    path("", association_list, name="association-list"),
    path("carte/", association_map, name="association-map"),
]
