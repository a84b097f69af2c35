"""The funding module's endpoint: grants decided, with the SCDL "subventions" v2.1.1 fields (the same values
as the open-data CSV, /subventions/attribuees/subventions.csv)."""

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from tissu.funding import opendata

MAX_LIMIT = 100
router = Router(tags=["funding"])


class GrantOut(Schema):
    nomAttribuant: str = Field(description="The city that grants.")
    idAttribuant: str = Field(description="SIRET of the city.")
    dateConvention: str = Field(description="Date of the deliberation that decided the grant (YYYY-MM-DD).")
    referenceDecision: str = Field(description="Reference of that deliberation.")
    nomBeneficiaire: str = Field(description="Name of the association.")
    idBeneficiaire: str = Field(description="SIRET of the association, when it has a valid one (else empty).")
    rnaBeneficiaire: str = Field(
        description="RNA number, only when it fits the schema's pattern W + 9 digits (else empty, see the docs)."
    )
    objet: str = Field(description="Purpose of the grant (the project's title), 256 characters at most.")
    montant: str = Field(description="Amount granted, in euros (decimal with a dot).")
    nature: str = Field(description="aide en numéraire.")
    conditionsVersement: str = Field(description="unique or échelonné.")
    datesPeriodeVersement: str = Field(description="Payment date, or first/last payment dates.")
    idRAE: str = Field(description="Empty.")
    notificationUE: str = Field(description="oui or non.")
    pourcentageSubvention: str = Field(description="Share of the funded budget, 0.01 to 1.")
    dispositifAide: str = Field(description="Name of the aid scheme.")


class GrantPage(Schema):
    count: int = Field(description="Number of grants matching the filters, all pages together.")
    limit: int = Field(description="Page size asked for.")
    offset: int = Field(description="Position of the first result of this page in the whole list (from 0).")
    next: str | None = Field(description="Address of the next page, null on the last one.")
    previous: str | None = Field(description="Address of the previous page, null on the first one.")
    results: list[GrantOut] = Field(description="The grants of this page, oldest deliberation first.")


class GrantQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="Year of the deliberation.")
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description=f"Page size, 1 to {MAX_LIMIT}.")
    offset: int = Field(0, ge=0, description="Number of results to skip.")


def _page_url(request: HttpRequest, offset: int | None) -> str | None:
    if offset is None:
        return None
    query = request.GET.copy()
    query["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@router.get("/grants", response=GrantPage, url_name="grant-list", summary="Grants decided (SCDL subventions)")
def grant_list(request, params: Query[GrantQuery]):
    """The grants the city decided, oldest deliberation first, one page at a time."""
    values = opendata.grant_values(year=params.year)
    count = values.count()
    page = values[params.offset : params.offset + params.limit]
    results = [dict(zip(opendata.HEADER, record, strict=True)) for record in opendata.scdl_records(rows=page)]
    has_next = params.offset + params.limit < count
    return {
        "count": count,
        "limit": params.limit,
        "offset": params.offset,
        "next": _page_url(request, params.offset + params.limit if has_next else None),
        "previous": _page_url(request, max(params.offset - params.limit, 0) if params.offset else None),
        "results": results,
    }


def index_urls() -> dict[str, str]:
    return {"grants": reverse("api:grant-list"), "grants_csv": reverse("funding:grant-csv")}
