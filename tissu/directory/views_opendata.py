"""Open data: the page presenting the datasets and their column dictionary, and the streamed files."""

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from tissu.directory import opendata

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


@require_safe
def opendata_page(request):
    filters = opendata.PublicFilters.from_query(request.GET)
    query = urlencode(filters.as_query())
    suffix = f"?{query}" if query else ""
    return render(
        request,
        "directory/opendata/page.html",
        {
            "columns": opendata.COLUMNS,
            "filters": filters,
            "filtered": bool(query),
            "count": opendata.filter_public(filters).count(),
            "csv_url": reverse("directory:opendata-csv") + suffix,
            "json_url": reverse("directory:opendata-json") + suffix,
            "api_root": reverse("api:api-root"),
            "api_docs": reverse("api:openapi-view"),
            "api_schema": reverse("api:openapi-json"),
            "api_list": reverse("api:association-list"),
            "list_separator": opendata.LIST_SEPARATOR,
        },
    )


def _export(request, fmt: str):
    filters = opendata.PublicFilters.from_query(request.GET)
    response = StreamingHttpResponse(opendata.export_pieces(filters, fmt), content_type=CONTENT_TYPES[fmt])
    disposition = "attachment" if fmt == "csv" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{opendata.dataset_filename(fmt)}"'
    # Public data without credentials: any site may fetch it from a browser (cookies are never sent with "*").
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def opendata_csv(request):
    return _export(request, "csv")


@require_safe
def opendata_json(request):
    return _export(request, "json")


urlpatterns = [
    path("donnees/", opendata_page, name="opendata"),
    path("donnees/associations.csv", opendata_csv, name="opendata-csv"),
    path("donnees/associations.json", opendata_json, name="opendata-json"),
]
