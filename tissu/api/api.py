"""Tissu's REST API: one NinjaAPI, one router per domain (each module adds its own with ``api.add_router``).

Read-only and public: no authentication, no cookies needed, the same data as the open-data files.
The interactive documentation (/api/docs) is Swagger UI served from django-ninja's own vendored copy
of swagger-ui-dist ("ninja" is in INSTALLED_APPS for its static files and template): no CDN, and the
page runs under the site's Content-Security-Policy (no inline script; the settings travel as a JSON
data block). The online validator badge is turned off, it would call validator.swagger.io.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import NinjaAPI, Swagger
from ninja.renderers import JSONRenderer

from tissu.api import agenda, directory, funding

DESCRIPTION = """\
Public, read-only data of the city's associative life. No key is needed.

* Lists are paginated with `limit` (1 to 100, default 20) and `offset`; they are sorted by name, then id,
  so pages are stable. For the whole directory at once, use the open-data files
  (`/associations/donnees/associations.csv` and `.json`), which take the same filters.
* Dates are ISO 8601; empty values are `null`.
* Errors answer with a JSON body `{"detail": …}`: 404 for an unknown or non-public association or
  event, 422 for an invalid parameter.
* Events: only published public events (never internal meetings between associations), each with
  its dates in the asked period.
* Data licence: see the open-data page (`/associations/donnees/`).
"""


class UnescapedJSONRenderer(JSONRenderer):
    # "Médiation", not "M\\u00e9diation": readable, and a sixth smaller for French text.
    json_dumps_params = {"ensure_ascii": False}


class TissuAPI(NinjaAPI):
    def create_response(
        self,
        request: HttpRequest,
        data,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        # Public data: any web page may read it (with "*", browsers never send cookies along).
        response["Access-Control-Allow-Origin"] = "*"
        return response


api = TissuAPI(
    title="Tissu API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=Swagger(settings={"validatorUrl": None, "defaultModelsExpandDepth": 0}),
    docs_url="/docs",
    openapi_url="/openapi.json",
    renderer=UnescapedJSONRenderer(),
)


@api.get("/", url_name="api-root", include_in_schema=False)
def api_root(request):
    """An index of the API, so that /api/ answers something useful."""
    return {
        "title": api.title,
        "version": api.version,
        "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
        "docs": request.build_absolute_uri(reverse("api:openapi-view")),
        "endpoints": {
            name: request.build_absolute_uri(url)
            for module in (directory, agenda, funding)
            for name, url in module.index_urls().items()
        },
    }


api.add_router("", directory.router)
api.add_router("", agenda.router)
api.add_router("", funding.router)
