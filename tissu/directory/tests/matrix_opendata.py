"""Open data and the REST API (tissu.api is not an app: its rows live here). Everything is public."""

from conftest import ASSOCIATION_A_SLUG
from tests.matrix import PUBLIC, Row


def _association_a(personas):
    return {"args": [ASSOCIATION_A_SLUG]}


ROWS = [
    Row("directory:opendata", PUBLIC),
    Row("directory:opendata-csv", PUBLIC, browse=False),
    Row("directory:opendata-json", PUBLIC, browse=False),
    # The API: JSON for everyone; the Swagger page is django-ninja's own (not a Tissu layout).
    Row("api:api-root", PUBLIC, browse=False),
    Row("api:openapi-json", PUBLIC, browse=False),
    Row("api:openapi-view", PUBLIC, browse=False),
    Row("api:association-list", PUBLIC, browse=False),
    Row("api:association-detail", PUBLIC, setup=_association_a, browse=False),
    Row("api:theme-list", PUBLIC, browse=False),
    Row("api:neighbourhood-list", PUBLIC, browse=False),
]
