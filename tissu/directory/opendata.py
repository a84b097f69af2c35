"""Open data: the public directory as CSV and JSON, described by one list of columns.

``COLUMNS`` is the only description of what is published: the CSV header and cells, the JSON keys,
the REST API's association schema (tissu/api/directory.py) and the column dictionary (the open-data
page, and docs/opendata.md which a test holds to it) are all derived from it, so they cannot drift.

Public means: active or dissolved in the national register (positions A and D) and allowed on the
web by the register (``publiweb``). Removed records (S) and records taken over by a new W number
(R: the old import record of an association that now has its own waldec line) are left out, as are
the associations whose publication the RNA forbids. Only the association's own public contacts are
exported: never its officers, nor the management address (whose addressee is usually a person).

Exports are streamed: rows are read with ``.values(…).iterator(chunk_size=CHUNK_SIZE)`` (a server-side
cursor on PostgreSQL) and written as they come, so memory stays flat whatever the size of the directory.
"""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tissu.directory.models import (
    QPV_CODE_PATTERN,
    RNA_ID_RE,
    Association,
    Grouping,
    Nature,
    RnaPosition,
    Theme,
)
from tissu.directory.search_selectors import (
    STATUS_ACTIVE,
    STATUS_DISSOLVED,
    STATUS_VERIFIED,
    SearchFilters,
    association_search,
)

CHUNK_SIZE = 2000
# Rows gathered before a piece of the response is handed to the server: fewer, larger writes.
ROWS_PER_PIECE = 200
CSV_DELIMITER = ";"
LIST_SEPARATOR = "|"
PUBLIC_POSITIONS = (RnaPosition.ACTIVE, RnaPosition.DISSOLVED)


# --- What is public -------------------------------------------------------------------------------


def public_associations() -> QuerySet[Association]:
    """Every association anyone may see in the open data and the API, whoever asks."""
    return Association.objects.filter(rna_position__in=PUBLIC_POSITIONS, publish_on_web=True)


@dataclass(frozen=True)
class PublicFilters:
    """The directory's filters, as the exports and the API take them. Empty means "any".

    The search page's own parameters (q, family, neighbourhood, qpv, audience, status, volunteers,
    employer: tissu.directory.search_selectors) mean the same here, so a search can be downloaded as it
    is; postcode, insee, verified and updated_since are the open data's additions. Without a status,
    both active and dissolved associations come (the search page shows the active ones by default).
    """

    q: str = ""
    families: tuple[str, ...] = ()  # theme family codes ("011000"), on the main or second theme
    neighbourhoods: tuple[str, ...] = ()  # slugs
    qpvs: tuple[str, ...] = ()  # codes
    audiences: tuple[str, ...] = ()  # slugs of the publics served
    statuses: tuple[str, ...] = ()  # "active", "dissolved", "verified"
    employer: bool | None = None
    accepts_volunteers: bool | None = None
    verified: bool | None = None
    postcode: str = ""
    insee: str = ""
    updated_since: datetime.datetime | None = None

    @classmethod
    def from_query(cls, query: QueryDict) -> PublicFilters:
        """Lenient parsing of a query string (download links are shared and typed by hand): a malformed
        value is ignored rather than refused, as on the search page."""

        def values(name: str, pattern: re.Pattern, transform=str.strip) -> tuple[str, ...]:
            found = (transform(value) for value in query.getlist(name))
            return tuple(dict.fromkeys(value for value in found if pattern.fullmatch(value)))

        volunteers = _parse_bool(query.get("accepts_volunteers", "")) if "accepts_volunteers" in query else None
        if volunteers is None and _parse_bool(query.get("volunteers", "")):
            volunteers = True  # the search page's checkbox
        return cls(
            q=" ".join(query.get("q", "").split())[:200],
            families=values("family", _FAMILY),
            neighbourhoods=values("neighbourhood", _SLUG),
            qpvs=values("qpv", QPV_CODE_RE, lambda value: value.strip().upper()),
            audiences=values("audience", _SLUG),
            statuses=values("status", _STATUS, lambda value: value.strip().lower()),
            employer=_parse_bool(query.get("employer", "")),
            accepts_volunteers=volunteers,
            verified=_parse_bool(query.get("verified", "")),
            postcode=query.get("postcode", "").strip()[:10],
            insee=query.get("insee", "").strip().upper()[:5],
            updated_since=_parse_datetime(query.get("updated_since", "")),
        )

    def as_query(self) -> list[tuple[str, str]]:
        """The filters as query-string pairs, for links that carry them on (urlencode them)."""
        pairs: list[tuple[str, str]] = []
        if self.q:
            pairs.append(("q", self.q))
        for name, values in (
            ("family", self.families),
            ("neighbourhood", self.neighbourhoods),
            ("qpv", self.qpvs),
            ("audience", self.audiences),
            ("status", self.statuses),
        ):
            pairs.extend((name, value) for value in values)
        for name in ("employer", "accepts_volunteers", "verified"):
            value = getattr(self, name)
            if value is not None:
                pairs.append((name, "true" if value else "false"))
        for name in ("postcode", "insee"):
            if getattr(self, name):
                pairs.append((name, getattr(self, name)))
        if self.updated_since is not None:
            pairs.append(("updated_since", self.updated_since.isoformat()))
        return pairs


_FAMILY = re.compile(r"\d{3}000")
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,120}")
_STATUS = re.compile("|".join([STATUS_ACTIVE, STATUS_DISSOLVED, STATUS_VERIFIED]))
QPV_CODE_RE = re.compile(QPV_CODE_PATTERN.strip("^$"))


def _parse_bool(value: str) -> bool | None:
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on", "oui"}:
        return True
    if value in {"0", "false", "no", "off", "non"}:
        return False
    return None


def _parse_datetime(value: str) -> datetime.datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def filter_public(filters: PublicFilters) -> QuerySet[Association]:
    """The public associations matching the filters, in one query whatever the filters.

    The directory's filters go through the search's own selector (association_search), so that the
    words, families, neighbourhoods… match exactly what the search page matches (on PostgreSQL, the
    full-text index); the open data then keeps its own, stricter, public set.
    """
    rna_id = filters.q.upper() if RNA_ID_RE.fullmatch(filters.q.upper()) else ""
    search_filters = SearchFilters(
        q="" if rna_id else filters.q,
        families=filters.families,
        neighbourhoods=filters.neighbourhoods,
        qpvs=filters.qpvs,
        audiences=filters.audiences,
        employer=filters.employer is True,
        volunteers=filters.accepts_volunteers is True,
        statuses=filters.statuses or (STATUS_ACTIVE, STATUS_DISSOLVED),
    )
    queryset = association_search(filters=search_filters, staff=False).filter(
        rna_position__in=PUBLIC_POSITIONS, publish_on_web=True
    )
    if rna_id:
        queryset = queryset.filter(rna_id=rna_id)
    if filters.employer is False:
        queryset = queryset.filter(is_employer=False)
    if filters.accepts_volunteers is False:
        queryset = queryset.filter(accepts_volunteers=False)
    if filters.verified is not None:
        queryset = queryset.filter(verified_at__isnull=not filters.verified)
    if filters.postcode:
        queryset = queryset.filter(office_postcode=filters.postcode)
    if filters.insee:
        queryset = queryset.filter(office_insee_code=filters.insee)
    if filters.updated_since is not None:
        # Imports write in bulk (updated_at is not touched then): the register's own date counts too.
        queryset = queryset.filter(
            Q(updated_at__gte=filters.updated_since) | Q(rna_updated_at__gte=filters.updated_since)
        )
    return queryset


# What the columns read, and nothing else: rows are plain dicts, not model instances (eight times faster
# on 100,000 rows), and a field that is not listed here cannot leak into the open data.
EXPORT_VALUES = (
    "id", "slug", "rna_id", "rna_former_id", "siret", "name", "short_name", "object",
    "theme_1", "theme_2", "family_1", "family_2",
    "creation_date", "declaration_date", "publication_date", "dissolution_date", "nature", "grouping",
    "office_complement", "office_street_number", "office_street_repetition", "office_street_type",
    "office_street_name", "office_distribution", "office_insee_code", "office_postcode", "office_city",
    "website", "public_email", "public_phone", "neighbourhood__name", "qpv__code",
    "is_employer", "accepts_volunteers", "verified_at", "rna_position", "rna_updated_at", "updated_at",
)  # fmt: skip
ORDERING = ("search_name", "id")  # stable: consecutive API pages neither skip nor repeat a record


def export_queryset(filters: PublicFilters) -> QuerySet:
    """The public associations matching the filters, as dicts of EXPORT_VALUES, in a stable order.

    Slice it for a page; pass it (or a slice) to ``export_rows`` to add the publics served.
    """
    return filter_public(filters).order_by(*ORDERING).values(*EXPORT_VALUES)


def export_rows(rows: Iterable[dict]) -> Iterator[dict]:
    """The rows with their publics served ("audiences", sorted names): one query per CHUNK_SIZE rows."""
    through = Association.audiences.through
    for batch in _batched(rows, CHUNK_SIZE):
        audiences: dict[int, list[str]] = {}
        links = (
            through.objects.filter(association_id__in=[row["id"] for row in batch])
            .order_by("audience__name")
            .values_list("association_id", "audience__name")
        )
        for association_id, name in links:
            audiences.setdefault(association_id, []).append(name)
        for row in batch:
            row["audiences"] = audiences.get(row["id"], [])
            yield row


def _batched(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- The columns ----------------------------------------------------------------------------------


@dataclass
class ExportContext:
    """What the columns need besides the row itself, read once per export (labels, URLs)."""

    theme_labels: dict[str, str]
    nature_labels: dict[str, str]
    grouping_labels: dict[str, str]
    position_labels: dict[str, str]
    profile_url: str  # with SLUG_PLACEHOLDER where the slug goes
    timezone: datetime.tzinfo

    def profile_url_for(self, slug: str) -> str:
        return self.profile_url.replace(SLUG_PLACEHOLDER, slug)


SLUG_PLACEHOLDER = "slug-placeholder"


def export_context() -> ExportContext:
    """Labels in the site's main language, whoever downloads: a dataset does not change with the reader."""
    with translation.override(settings.LANGUAGE_CODE):
        return ExportContext(
            theme_labels=dict(Theme.objects.values_list("code", "label")),
            nature_labels={code: str(label) for code, label in Nature.choices},
            grouping_labels={code: str(label) for code, label in Grouping.choices},
            position_labels={code: str(label) for code, label in RnaPosition.choices},
            profile_url=settings.SITE_URL + _profile_path(),
            timezone=timezone.get_default_timezone(),
        )


def _profile_path() -> str:
    return reverse("directory:association-detail", args=[SLUG_PLACEHOLDER])


# Column types, as the dictionary states them; the API maps them to JSON Schema types.
STRING, DATE, DATETIME, BOOLEAN, LIST, URL, EMAIL = "string", "date", "datetime", "boolean", "list", "url", "email"
TYPE_LABELS = {
    STRING: _("text"),
    DATE: _("date (YYYY-MM-DD)"),
    DATETIME: _("date and time (ISO 8601, with offset)"),
    BOOLEAN: _("boolean (true/false)"),
    LIST: _("list (values separated by | in CSV, an array in JSON)"),
    URL: _("web address"),
    EMAIL: _("email address"),
}


@dataclass(frozen=True)
class Column:
    name: str  # the CSV header and JSON key: stable, never translated
    label: Promise | str
    description: Promise | str
    type: str
    value: Callable[[dict, ExportContext], Any] = field(repr=False)  # reads a row of export_rows
    example: str = ""

    @property
    def type_label(self) -> Promise | str:
        return TYPE_LABELS[self.type]


def _attr(name: str) -> Callable[[dict, ExportContext], Any]:
    return lambda row, context: row[name]


def _theme_label(name: str) -> Callable[[dict, ExportContext], Any]:
    return lambda row, context: context.theme_labels.get(row[name], "")


def _choice_label(name: str, labels: str) -> Callable[[dict, ExportContext], Any]:
    return lambda row, context: getattr(context, labels).get(row[name], "")


def _local_datetime(name: str) -> Callable[[dict, ExportContext], Any]:
    def value(row: dict, context: ExportContext) -> datetime.datetime | None:
        moment = row[name]
        return moment.astimezone(context.timezone).replace(microsecond=0) if moment else None

    return value


COLUMNS: list[Column] = [
    Column(
        "rna_id",
        _("RNA number"),
        _("Number in the national register of associations (RNA): W and 9 characters."),
        STRING,
        _attr("rna_id"),
        example="W912000123",
    ),
    Column(
        "rna_former_id",
        _("Former RNA id"),
        _("Older identifier of the association in the register, before waldec numbers."),
        STRING,
        _attr("rna_former_id"),
        example="912P00012345",
    ),
    Column(
        "siret",
        _("SIRET"),
        _("Establishment number in the Sirene register (14 digits), when the association has one."),
        STRING,
        _attr("siret"),
        example="73282932000074",
    ),
    Column(
        "name",
        _("Name"),
        _("Name of the association."),
        STRING,
        _attr("name"),
        example="Club de judo de Bellerive",
    ),
    Column(
        "short_name",
        _("Short name"),
        _("Short name or acronym."),
        STRING,
        _attr("short_name"),
        example="CJB",
    ),
    Column(
        "object",
        _("Object"),
        _("The association's stated purpose (objet social), as declared."),
        STRING,
        _attr("object"),
        example="Pratique et enseignement du judo",
    ),
    Column(
        "theme_1_code",
        _("Main theme code"),
        _("Code of the main theme in the national nomenclature of association themes (objet_social1)."),
        STRING,
        _attr("theme_1"),
        example="011140",
    ),
    Column(
        "theme_1_label",
        _("Main theme"),
        _("Label of the main theme."),
        STRING,
        _theme_label("theme_1"),
        example="judo",
    ),
    Column(
        "theme_2_code",
        _("Second theme code"),
        _("Code of the second theme (objet_social2), empty when none."),
        STRING,
        _attr("theme_2"),
        example="",
    ),
    Column(
        "theme_2_label",
        _("Second theme"),
        _("Label of the second theme."),
        STRING,
        _theme_label("theme_2"),
        example="",
    ),
    Column(
        "family_1_code",
        _("Main theme family code"),
        _("Code of the family of the main theme (the family's own code ends in 000)."),
        STRING,
        _attr("family_1"),
        example="011000",
    ),
    Column(
        "family_1_label",
        _("Main theme family"),
        _("Label of the family of the main theme."),
        STRING,
        _theme_label("family_1"),
        example="sports, activités de plein air",
    ),
    Column(
        "family_2_code",
        _("Second theme family code"),
        _("Code of the family of the second theme, empty when it is the main theme's family."),
        STRING,
        _attr("family_2"),
        example="",
    ),
    Column(
        "family_2_label",
        _("Second theme family"),
        _("Label of the family of the second theme."),
        STRING,
        _theme_label("family_2"),
        example="",
    ),
    Column(
        "creation_date",
        _("Creation date"),
        _("Date the association was created (declared at the prefecture)."),
        DATE,
        _attr("creation_date"),
        example="1987-09-14",
    ),
    Column(
        "declaration_date",
        _("Last declaration date"),
        _("Date of the last declaration to the prefecture (change of statutes, officers, address…)."),
        DATE,
        _attr("declaration_date"),
        example="2021-03-02",
    ),
    Column(
        "publication_date",
        _("Publication date"),
        _("Date of publication in the Journal officiel."),
        DATE,
        _attr("publication_date"),
        example="1987-10-03",
    ),
    Column(
        "dissolution_date",
        _("Dissolution date"),
        _("Date of dissolution, empty for an active association."),
        DATE,
        _attr("dissolution_date"),
        example="",
    ),
    Column(
        "nature_code",
        _("Nature code"),
        _(
            "Nature in the register: D declared, R recognised as being of public utility, U worship, A assistance, "
            "B charity, G general interest, M medical research, S scientific research, I undetermined."
        ),
        STRING,
        _attr("nature"),
        example="D",
    ),
    Column(
        "nature_label",
        _("Nature"),
        _("Label of the nature."),
        STRING,
        _choice_label("nature", "nature_labels"),
        example="déclarée",
    ),
    Column(
        "grouping_code",
        _("Grouping code"),
        _("Grouping in the register: S simple, U union, F federation."),
        STRING,
        _attr("grouping"),
        example="S",
    ),
    Column(
        "grouping_label",
        _("Grouping"),
        _("Label of the grouping."),
        STRING,
        _choice_label("grouping", "grouping_labels"),
        example="simple",
    ),
    Column(
        "office_complement",
        _("Registered office: complement"),
        _("Complement of the registered office's address (building, floor, care of…), as published by the register."),
        STRING,
        _attr("office_complement"),
        example="Maison des associations",
    ),
    Column(
        "office_street_number",
        _("Registered office: street number"),
        _("Street number of the registered office."),
        STRING,
        _attr("office_street_number"),
        example="12",
    ),
    Column(
        "office_street_repetition",
        _("Registered office: repetition index"),
        _("Repetition index of the street number (b for bis, t for ter…)."),
        STRING,
        _attr("office_street_repetition"),
        example="",
    ),
    Column(
        "office_street_type",
        _("Registered office: street type"),
        _("Type of street, abbreviated as in the register (RUE, AV, BD…)."),
        STRING,
        _attr("office_street_type"),
        example="RUE",
    ),
    Column(
        "office_street_name",
        _("Registered office: street name"),
        _("Name of the street of the registered office."),
        STRING,
        _attr("office_street_name"),
        example="de la Mairie",
    ),
    Column(
        "office_distribution",
        _("Registered office: distribution"),
        _("Special distribution mention (post-office box, locality…)."),
        STRING,
        _attr("office_distribution"),
        example="",
    ),
    Column(
        "office_insee_code",
        _("Registered office: INSEE code"),
        _("INSEE code of the commune of the registered office (not the postcode)."),
        STRING,
        _attr("office_insee_code"),
        example="91999",
    ),
    Column(
        "office_postcode",
        _("Registered office: postcode"),
        _("Postcode of the registered office."),
        STRING,
        _attr("office_postcode"),
        example="91990",
    ),
    Column(
        "office_city",
        _("Registered office: town"),
        _("Town of the registered office."),
        STRING,
        _attr("office_city"),
        example="Bellerive-sur-Orge",
    ),
    Column(
        "website",
        _("Website"),
        _("The association's website."),
        URL,
        _attr("website"),
        example="https://judo-bellerive.example",
    ),
    Column(
        "public_email",
        _("Public email"),
        _("The association's public contact address (never a person's private address)."),
        EMAIL,
        _attr("public_email"),
        example="contact@judo-bellerive.example",
    ),
    Column(
        "public_phone",
        _("Public phone"),
        _("The association's public phone number."),
        STRING,
        _attr("public_phone"),
        example="01 23 45 67 89",
    ),
    Column(
        "neighbourhood",
        _("Neighbourhood"),
        _("Neighbourhood of the city where the association is active, as entered by the city."),
        STRING,
        _attr("neighbourhood__name"),
        example="Centre-ville",
    ),
    Column(
        "qpv_code",
        _("QPV code"),
        _(
            "Code of the priority neighbourhood (quartier prioritaire de la politique de la ville) where the "
            "association is active: QN, 5 characters and a letter since 2024."
        ),
        STRING,
        _attr("qpv__code"),
        example="QN09199A",
    ),
    Column(
        "publics_served",
        _("Publics served"),
        _("The publics the association serves, from the city's list."),
        LIST,
        _attr("audiences"),
        example="Jeunes|Familles",
    ),
    Column(
        "is_employer",
        _("Employer"),
        _("true when the association employs staff."),
        BOOLEAN,
        _attr("is_employer"),
        example="false",
    ),
    Column(
        "accepts_volunteers",
        _("Looking for volunteers"),
        _("true when the association welcomes new volunteers."),
        BOOLEAN,
        _attr("accepts_volunteers"),
        example="true",
    ),
    Column(
        "verified_by_city",
        _("Verified by the city"),
        _("true when the city's associations office has checked the record."),
        BOOLEAN,
        lambda row, context: row["verified_at"] is not None,
        example="true",
    ),
    Column(
        "rna_position_code",
        _("RNA position code"),
        _("Position in the register: A active, D dissolved."),
        STRING,
        _attr("rna_position"),
        example="A",
    ),
    Column(
        "rna_position_label",
        _("RNA position"),
        _("Label of the position in the register."),
        STRING,
        _choice_label("rna_position", "position_labels"),
        example="active",
    ),
    Column(
        "rna_updated_at",
        _("Last update in the RNA"),
        _("Date and time of the last change of the record in the national register."),
        DATETIME,
        _local_datetime("rna_updated_at"),
        example="2024-05-12T10:31:07+02:00",
    ),
    Column(
        "updated_at",
        _("Last update in Tissu"),
        _("Date and time of the last change of the record in Tissu (by the city or the association)."),
        DATETIME,
        _local_datetime("updated_at"),
        example="2026-01-08T16:02:44+01:00",
    ),
    Column(
        "tissu_url",
        _("Page in Tissu"),
        _("Address of the association's public page on this site."),
        URL,
        lambda row, context: context.profile_url_for(row["slug"]),
        example="https://associations.bellerive.example/associations/club-de-judo-w912000123/",
    ),
]

COLUMN_NAMES = [column.name for column in COLUMNS]


def row_values(row: dict, context: ExportContext) -> dict[str, Any]:
    """One association (a row of export_rows) as typed values keyed by column name; None when empty."""
    values = {}
    for column in COLUMNS:
        value = column.value(row, context)
        values[column.name] = None if value == "" else value
    return values


# --- CSV --------------------------------------------------------------------------------------------

# A cell a spreadsheet would run as a formula starts with one of these; phone numbers ("+33 1…") are not formulas.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PHONE_LIKE = re.compile(r"^[+-]?[\d\s().-]+$")


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(csv_cell(item).replace(LIST_SEPARATOR, "/") for item in value)
    if isinstance(value, datetime.date):  # datetime too
        return value.isoformat()
    text = str(value)
    if text.startswith(_FORMULA_START) and not _PHONE_LIKE.match(text):
        # Spreadsheet formula injection: a manager could name their association "=HYPERLINK(…)".
        return "'" + text
    return text


class _Echo:
    """A file-like object whose write() returns the line: csv.writer then formats without buffering."""

    def write(self, value: str) -> str:
        return value


def csv_pieces(rows: Iterable[dict], context: ExportContext) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER, lineterminator="\r\n")
    yield writer.writerow(COLUMN_NAMES)
    piece: list[str] = []
    for row in rows:
        piece.append(writer.writerow([csv_cell(value) for value in row_values(row, context).values()]))
        if len(piece) >= ROWS_PER_PIECE:
            yield "".join(piece)
            piece = []
    if piece:
        yield "".join(piece)


# --- JSON -------------------------------------------------------------------------------------------


def json_pieces(rows: Iterable[dict], context: ExportContext) -> Iterator[str]:
    """A JSON array written incrementally: one object per association, with the CSV's keys."""
    encoder = DjangoJSONEncoder(ensure_ascii=False)
    yield "["
    piece: list[str] = []
    separator = "\n"
    for row in rows:
        piece.append(separator + encoder.encode(row_values(row, context)))
        separator = ",\n"
        if len(piece) >= ROWS_PER_PIECE:
            yield "".join(piece)
            piece = []
    piece.append("\n]\n")
    yield "".join(piece)


def export_pieces(filters: PublicFilters, fmt: str) -> Iterator[str]:
    """The whole export, produced lazily: the queries run as the response is sent, chunk by chunk."""
    context = export_context()
    rows = export_rows(export_queryset(filters).iterator(chunk_size=CHUNK_SIZE))
    if fmt == "csv":
        yield from csv_pieces(rows, context)
    else:
        yield from json_pieces(rows, context)


def dataset_filename(fmt: str) -> str:
    return f"associations-{timezone.localdate().isoformat()}.{fmt}"
