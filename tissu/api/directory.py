"""The directory's endpoints: associations (the open-data columns), themes and neighbourhoods.

The association schema is generated from ``tissu.directory.opendata.COLUMNS``: the API, the CSV and
JSON files and the column dictionary describe the same fields with the same words. Only public
associations are served, whoever asks (``opendata.public_associations``): the API has no signed-in
view, even for staff, so it can never show more than the open data.
"""

import datetime
from typing import Any, Literal

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import create_model

from tissu.directory import opendata
from tissu.directory.models import RNA_ID_RE, Neighbourhood, Theme

MAX_LIMIT = 100
DEFAULT_LIMIT = 20

router = Router(tags=["directory"])

_TYPES: dict[str, Any] = {
    opendata.STRING: str | None,
    opendata.URL: str | None,
    opendata.EMAIL: str | None,
    opendata.DATE: datetime.date | None,
    opendata.DATETIME: datetime.datetime | None,
    opendata.BOOLEAN: bool,
    opendata.LIST: list[str],
}


def _example(column: opendata.Column) -> Any:
    if column.type == opendata.BOOLEAN:
        return column.example == "true"
    if column.type == opendata.LIST:
        return column.example.split(opendata.LIST_SEPARATOR) if column.example else []
    return column.example or None


def _association_schema() -> type[Schema]:
    # Descriptions are written once, in English (the source language), whatever language is active.
    with translation.override("en"):
        fields = {
            column.name: (
                _TYPES[column.type],
                Field(..., title=str(column.label), description=str(column.description), examples=[_example(column)]),
            )
            for column in opendata.COLUMNS
        }
    return create_model("Association", __base__=Schema, __doc__="A public association of the directory.", **fields)


AssociationOut = _association_schema()


class AssociationPage(Schema):
    count: int = Field(description="Number of associations matching the filters, all pages together.")
    limit: int = Field(description="Page size asked for.")
    offset: int = Field(description="Position of the first result of this page in the whole list (from 0).")
    next: str | None = Field(description="Address of the next page, null on the last one.")
    previous: str | None = Field(description="Address of the previous page, null on the first one.")
    results: list[AssociationOut]  # type: ignore[valid-type]


class AssociationQuery(Schema):
    q: str | None = Field(
        None,
        max_length=200,
        description="Words to look for in the name, short name, object and keywords (accents and case ignored, "
        "French word forms matched: 'sportives' finds 'sport'); an RNA number finds that association.",
    )
    family: str | None = Field(
        None,
        pattern=r"^\d{3}000$",
        description="Theme family code (see /api/themes), on the main or the second theme.",
    )
    neighbourhood: str | None = Field(None, description="Neighbourhood slug (see /api/neighbourhoods).")
    qpv: str | None = Field(None, max_length=8, description="QPV code, e.g. QN09199A.")
    postcode: str | None = Field(None, max_length=10, description="Postcode of the registered office.")
    insee: str | None = Field(None, max_length=5, description="INSEE code of the commune of the registered office.")
    status: Literal["active", "dissolved"] | None = Field(
        None, description="Position in the national register; both when absent."
    )
    audience: str | None = Field(None, description="Slug of a public served: only associations serving it.")
    employer: bool | None = Field(None, description="true: only employers; false: only associations without staff.")
    verified: bool | None = Field(None, description="true: only records checked by the city; false: only the others.")
    accepts_volunteers: bool | None = Field(
        None, description="true: only associations looking for volunteers; false: only the others."
    )
    updated_since: datetime.datetime | None = Field(
        None,
        description="Only associations changed in Tissu or in the national register since this date and time "
        "(ISO 8601; without an offset, the city's time zone).",
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Page size, 1 to {MAX_LIMIT}.")
    offset: int = Field(0, ge=0, description="Number of results to skip.")

    def filters(self) -> opendata.PublicFilters:
        updated_since = self.updated_since
        if updated_since is not None and timezone.is_naive(updated_since):
            updated_since = timezone.make_aware(updated_since)
        return opendata.PublicFilters(
            q=" ".join((self.q or "").split()),
            families=(self.family,) if self.family else (),
            neighbourhoods=(self.neighbourhood,) if self.neighbourhood else (),
            qpvs=((self.qpv or "").upper(),) if self.qpv else (),
            audiences=(self.audience,) if self.audience else (),
            statuses=(self.status,) if self.status else (),
            employer=self.employer,
            postcode=self.postcode or "",
            insee=(self.insee or "").upper(),
            verified=self.verified,
            accepts_volunteers=self.accepts_volunteers,
            updated_since=updated_since,
        )


class Error(Schema):
    detail: str = Field(description="What went wrong.")


class ThemeOut(Schema):
    code: str = Field(description="Code in the national nomenclature (objet_social).")
    label: str = Field(description="Label, in French as published.")


class FamilyOut(Schema):
    code: str = Field(description="Family code: the code of its first theme, ending in 000.")
    label: str = Field(description="Family label.")
    themes: list[ThemeOut] = Field(description="The family's themes, the family's own code excepted.")


class NeighbourhoodOut(Schema):
    slug: str = Field(description="Identifier, used by the neighbourhood filter.")
    name: str = Field(description="Name of the neighbourhood.")
    association_count: int = Field(description="Number of public associations active in it.")


def _page_url(request: HttpRequest, offset: int | None) -> str | None:
    if offset is None:
        return None
    query = request.GET.copy()
    query["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@router.get(
    "/associations",
    response=AssociationPage,
    url_name="association-list",
    summary="List public associations",
)
def association_list(request, params: Query[AssociationQuery]):
    """The public associations matching the filters, by name, one page at a time (the same filters as the
    directory and the open-data files)."""
    queryset = opendata.export_queryset(params.filters())
    count = queryset.count()
    context = opendata.export_context()
    page = queryset[params.offset : params.offset + params.limit]
    rows = [opendata.row_values(row, context) for row in opendata.export_rows(page)]
    has_next = params.offset + params.limit < count
    has_previous = params.offset > 0
    return {
        "count": count,
        "limit": params.limit,
        "offset": params.offset,
        "next": _page_url(request, params.offset + params.limit if has_next else None),
        "previous": _page_url(request, max(params.offset - params.limit, 0) if has_previous else None),
        "results": rows,
    }


@router.get(
    "/associations/{key}",
    response={200: AssociationOut, 404: Error},
    url_name="association-detail",
    summary="One public association",
)
def association_detail(
    request, key: str = Path(..., description="RNA number (e.g. W912000123) or slug of the association's page.")
):
    """An association by its RNA number (W…) or by the address of its page in Tissu (its slug).
    Removed, taken-over and unpublishable records answer 404, like unknown ones."""
    candidate = key.strip().upper()
    lookup = Q(rna_id=candidate) if RNA_ID_RE.match(candidate) else Q(slug=key)
    rows = list(opendata.export_rows(opendata.export_queryset(opendata.PublicFilters()).filter(lookup)[:1]))
    if not rows:
        raise HttpError(404, "No public association has this RNA number or address.")
    return opendata.row_values(rows[0], opendata.export_context())


@router.get("/themes", response=list[FamilyOut], url_name="theme-list", summary="Theme nomenclature")
def theme_list(request):
    """The national nomenclature of association themes (objet_social1/2), by family."""
    families: dict[str, dict] = {}
    themes = list(Theme.objects.order_by("code"))
    for theme in themes:
        if theme.is_family:
            families[theme.code] = {"code": theme.code, "label": theme.label, "themes": []}
    for theme in themes:
        if not theme.is_family and theme.family_code in families:
            families[theme.family_code]["themes"].append({"code": theme.code, "label": theme.label})
    return list(families.values())


@router.get("/neighbourhoods", response=list[NeighbourhoodOut], url_name="neighbourhood-list", summary="Neighbourhoods")
def neighbourhood_list(request):
    """The city's neighbourhoods, with the number of public associations in each."""
    public = Q(association__rna_position__in=opendata.PUBLIC_POSITIONS, association__publish_on_web=True)
    return list(
        Neighbourhood.objects.annotate(association_count=Count("association", filter=public))
        .order_by("name")
        .values("slug", "name", "association_count")
    )


def index_urls() -> dict[str, str]:
    """The directory's entry points, for the API's index page."""
    return {
        "associations": reverse("api:association-list"),
        "themes": reverse("api:theme-list"),
        "neighbourhoods": reverse("api:neighbourhood-list"),
        "open_data_csv": reverse("directory:opendata-csv"),
        "open_data_json": reverse("directory:opendata-json"),
    }
