"""Decided grants as open data in the SCDL "subventions" v2.1.1 format (décret 2017-779).

One row per grant decided (granted, whatever its payment stage). The file is streamed: one query with
a server-side cursor (``iterator``), rows written as they come, so memory stays flat whatever the number
of grants (docs/benchmarks.md, "Funding (issue 8)").

Identifiers of the beneficiary. The schema accepts ``rnaBeneficiaire`` only as ``^W\\d{9}$``, narrower than
real RNA ids, whose second and third characters are a prefecture's site code and may be letters (W9T1002867,
W2A…), and it does not know the older ``gestion`` ids at all. Tissu never rewrites an id to fit: an RNA id
outside the pattern is left out of that column, and the row relies on ``idBeneficiaire`` (the SIRET,
published only when it passes the Luhn check). A grant whose association has neither a valid SIRET nor a
pattern-compatible RNA id is still published (the schema's own validation passes; its custom
"one-of-required" check would not), and the office's open-data page lists those rows so that the SIRET
can be added in the directory. See docs/funding.md.
"""

import csv
import re
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Max, Min, OuterRef, Subquery, Sum
from stdnum.fr import siret as siret_check

from tissu.city.selectors import city_settings_get
from tissu.directory.opendata import csv_cell
from tissu.funding import budget
from tissu.funding.models import BudgetKind, BudgetLine, GrantKind, Payment
from tissu.funding.selectors import decided_grants

HEADER = [
    "nomAttribuant", "idAttribuant", "dateConvention", "referenceDecision", "nomBeneficiaire", "idBeneficiaire",
    "rnaBeneficiaire", "objet", "montant", "nature", "conditionsVersement", "datesPeriodeVersement", "idRAE",
    "notificationUE", "pourcentageSubvention", "dispositifAide",
]  # fmt: skip
SCHEMA_RNA = re.compile(r"W\d{9}")
CHUNK = 2000


def schema_rna(rna_id: str | None) -> str:
    return rna_id if rna_id and SCHEMA_RNA.fullmatch(rna_id) else ""


def valid_siret(value: str | None) -> str:
    return value if value and siret_check.is_valid(value) else ""


def _charges_subquery(kind: str):
    codes = [code for code, line in budget.entry_lines().items() if line.side == budget.CHARGES]
    return Subquery(
        BudgetLine.objects.filter(application=OuterRef("pk"), budget=kind, code__in=codes)
        .values("application")
        .annotate(total=Sum("planned"))
        .values("total")[:1]
    )


def _payments_subquery(function):
    return Subquery(
        Payment.objects.filter(application=OuterRef("pk"))
        .values("application")
        .annotate(value=function("paid_on"))
        .values("value")[:1]
    )


def grant_values(*, year: int | None = None):
    """The grants decided as plain tuples (a lazy queryset: one query, sliced by the API, streamed by the CSV)."""
    return (
        decided_grants(year=year)
        .order_by("deliberation_date", "id")
        .annotate(
            project_charges=_charges_subquery(BudgetKind.PROJECT),
            association_charges=_charges_subquery(BudgetKind.ASSOCIATION),
            first_payment=_payments_subquery(Min),
            last_payment=_payments_subquery(Max),
        )
        .values_list(
            "deliberation_date",
            "deliberation_ref",
            "association__name",
            "association__siret",
            "association__rna_id",
            "project_title",
            "decided_amount",
            "instalments",
            "first_payment",
            "last_payment",
            "project_charges",
            "association_charges",
            "call__scheme__grant_kind",
            "call__scheme__name",
        )
    )


def percentage(amount: Decimal, charges: Decimal | None) -> str:
    """The grant's share of the funded budget, as the schema wants it: between 0.01 and 1."""
    if not charges or charges <= 0:
        return "1"
    share = (amount / charges).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    return str(min(max(share, Decimal("0.01")), Decimal("1")).normalize())


def scdl_records(*, year: int | None = None, rows=None):
    """Each grant as the 16 SCDL values, in the schema's order; rows: a slice of grant_values() (default: every
    grant, read with a server-side cursor in chunks)."""
    city = city_settings_get()
    if rows is None:
        rows = grant_values(year=year).iterator(chunk_size=CHUNK)
    for (
        decided_on, reference, name, siret, rna_id, title, amount, instalments, first, last,
        project_charges, association_charges, grant_kind, scheme_name,
    ) in rows:  # fmt: skip
        charges = project_charges if grant_kind == GrantKind.PROJECT else association_charges
        if first and last and first != last:
            period = f"{first.isoformat()}/{last.isoformat()}"
        else:
            period = (first or decided_on).isoformat()
        yield [
            city.name,
            city.siret,
            decided_on.isoformat(),
            reference,
            name,
            valid_siret(siret),
            schema_rna(rna_id),
            " ".join(title.split())[:256],
            f"{amount:.2f}",
            "aide en numéraire",
            "unique" if instalments <= 1 else "échelonné",
            period,
            "",
            "non",
            percentage(amount, charges),
            scheme_name,
        ]


class _Echo:
    def write(self, value):
        return value


# Free text typed by people (names, titles, references): a spreadsheet must not run it as a formula.
TEXT_COLUMNS = [HEADER.index(name) for name in ("referenceDecision", "nomBeneficiaire", "objet", "dispositifAide")]
OBJET = HEADER.index("objet")


def scdl_csv_lines(*, year: int | None = None):
    """The CSV file, line by line (for StreamingHttpResponse)."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield writer.writerow(HEADER)
    for record in scdl_records(year=year):
        for index in TEXT_COLUMNS:
            record[index] = csv_cell(record[index])
        record[OBJET] = record[OBJET][:256]
        yield writer.writerow(record)


def rows_without_identifier(*, limit: int = 50):
    """Grants whose beneficiary has neither a valid SIRET nor a schema-compatible RNA id."""
    result = []
    for application in decided_grants().only(
        "reference", "project_title", "association__name", "association__siret", "association__rna_id",
        "association__slug", "deliberation_date", "call__scheme__name",
    ).iterator(chunk_size=CHUNK):  # fmt: skip
        if not valid_siret(application.association.siret) and not schema_rna(application.association.rna_id):
            result.append(application)
            if len(result) >= limit:
                break
    return result
