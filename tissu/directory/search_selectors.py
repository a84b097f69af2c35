"""Directory search: full text, facets with counts, relevance or name order, capped counts.

Text goes through tissu.directory.search (unaccented French stems), both when stored and when
queried; each query word becomes a 5-character stem prefix that must start a word of search_text.

- SQLite: ``search_text LIKE 'term%' OR search_text LIKE '% term%'`` for each term (a scan: fine
  at a city's scale).
- PostgreSQL: one tsquery over ``search_vector`` (a stored generated column, not a model field) and its GIN
  index, for the text and every facet filter at once (``'sport' & ('~f011000' | '~f006000') & '~volunteers'``).
  The vector holds the words of search_text, the first 3, 4 and 5 characters of each longer word (migration
  0006: a term of 3 to 5 characters is an exact lexeme, shorter ones are prefixes ``term:*``: the same
  matches as LIKE) and one lexeme per facet value of the row (migration 0007: ``~f`` family, ``~n``
  neighbourhood, ``~q`` QPV, ``~a`` public, ``~employer``, ``~volunteers``, ``~verified``); only the RNA
  position and the visibility stay column conditions. When the words as typed find nothing, typos: each
  word also stands for its closest words in the directory's vocabulary (``directory_search_word``, pg_trgm
  similarity, migration 0007), and the search runs again with them.

The page runs three queries whatever the data (count, facets, page; with no match at all, no page is
read; two more when typos are looked for), and their cost is bounded:
- the total is counted up to COUNT_LIMIT rows (beyond: "more than 1,000");
- with a text query or a filter, a page is sorted from the matching rows (relevance or name), up to
  COUNT_LIMIT matches; beyond, they come as stored (unsorted, so read only until the page is full; by id
  on SQLite); with neither, a page is read in the order of the name index;
- the facets come in one query: the visible associations matching the text are read once (up to
  FACET_LIMIT + 1 rows), then grouped once per facet; beyond FACET_LIMIT, the facet values are
  offered without counts, from their small reference tables (when the count already found more than
  COUNT_LIMIT matches, the base set, which holds them all, is not read).
"""

# The facet and count queries are assembled from constants, table names and Django-compiled SQL; every
# value the visitor sends is a query parameter.
# ruff: noqa: S608

from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import BooleanField, Case, F, FloatField, Func, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Lower
from django.utils.translation import gettext_lazy as _

from tissu.directory import search
from tissu.directory.models import Association, Audience, Neighbourhood, PriorityArea, RnaPosition, Theme

PAGE_SIZE = 20
MAP_PAGE_SIZE = 200
COUNT_LIMIT = 1_000
FACET_LIMIT = 1_000
FUZZY_MIN_LENGTH = 4  # shorter words have too few trigrams for a meaningful similarity
CORRECTIONS_PER_WORD = 3
WORD_START_LENGTHS = range(3, search.PREFIX_LENGTH + 1)  # the word starts stored in search_vector (0005)

# How the text is matched: the full-text index (PostgreSQL; SQLite always scans with LIKE), LIKE on search_text
# (the same matches, kept for tests and SQLite), or trigram similarity on the name (PostgreSQL, typos, when
# nothing matches).
MODE_INDEX = "index"
MODE_SCAN = "scan"  # LIKE on search_text: SQLite's way, whatever the mode asked
MODE_FUZZY = "fuzzy"

ORDER_RELEVANCE = "relevance"
ORDER_NAME = "name"
ORDER_REGISTER = "register"  # not a choice: the order of too many matches to sort

STATUS_ACTIVE = "active"
STATUS_DISSOLVED = "dissolved"
STATUS_VERIFIED = "verified"
STATUS_REMOVED = "removed"
STATUS_LABELS = {
    STATUS_ACTIVE: _("Active"),
    STATUS_DISSOLVED: _("Dissolved or taken over"),
    STATUS_VERIFIED: _("Verified by the city"),
    STATUS_REMOVED: _("Removed from the register"),
}
# RNA positions behind each status ("removed" only for the associations office: never public).
STATUS_POSITIONS = {
    STATUS_ACTIVE: [RnaPosition.ACTIVE],
    STATUS_DISSOLVED: [RnaPosition.DISSOLVED, RnaPosition.TAKEN_OVER],
    STATUS_REMOVED: [RnaPosition.REMOVED],
}

# The columns a result row needs (the list, the map): big text fields such as the presentation stay behind.
RESULT_FIELDS = [
    "id", "slug", "name", "short_name", "object", "rna_id", "rna_position", "dissolution_date", "verified_at",
    "office_street_number", "office_street_repetition", "office_street_type", "office_street_name",
    "office_postcode", "office_city", "family_1", "family_2", "theme_1", "accepts_volunteers", "is_employer",
    "latitude", "longitude", "search_name", "neighbourhood__name", "neighbourhood__slug",
]  # fmt: skip


@dataclass(frozen=True)
class SearchFilters:
    """What the visitor asked for; every field comes from the query string."""

    q: str = ""
    families: tuple[str, ...] = ()
    neighbourhoods: tuple[str, ...] = ()  # slugs
    qpvs: tuple[str, ...] = ()  # codes
    audiences: tuple[str, ...] = ()  # slugs
    employer: bool = False
    volunteers: bool = False
    statuses: tuple[str, ...] = ()
    order: str = ""  # "" → relevance with a text query, name order without
    # Set by the search when the words as typed find nothing: for each query word, its own term and those of
    # the closest words of the directory's vocabulary (typos; PostgreSQL only).
    alternatives: tuple[tuple[str, ...], ...] = ()

    @property
    def terms(self) -> list[str]:
        return search.query_terms(self.q)

    @property
    def term_groups(self) -> list[tuple[str, ...]]:
        """What the text requires: every group must start a word, by any of its terms."""
        return list(self.alternatives) or [(term,) for term in self.terms]

    @property
    def effective_order(self) -> str:
        if self.order in (ORDER_RELEVANCE, ORDER_NAME):
            return self.order if self.terms else ORDER_NAME
        return ORDER_RELEVANCE if self.terms else ORDER_NAME

    def narrows(self) -> bool:
        """Whether anything but the RNA position selects associations (then name order is not free)."""
        return bool(
            self.terms or self.families or self.neighbourhoods or self.qpvs or self.audiences
            or self.employer or self.volunteers or STATUS_VERIFIED in self.statuses
        )  # fmt: skip

    def has_filters(self) -> bool:
        """Any facet or status chosen, the text aside."""
        return bool(
            self.families or self.neighbourhoods or self.qpvs or self.audiences or self.employer or self.volunteers
            or self.statuses
        )  # fmt: skip

    def is_filtered(self) -> bool:
        return bool(self.q) or self.has_filters()


# --- Expressions ------------------------------------------------------------------------------------


class _VectorMatch(Func):
    """search_vector @@ (tsquery && …): the stored vector of search_text, its word starts and the row's facet
    values (migrations 0006 and 0007; PostgreSQL only, not a model field), with its GIN index."""

    template = "search_vector @@ (%(expressions)s)"
    arg_joiner = " && "
    output_field = BooleanField()


class _LexemesOf(Func):
    """The tsquery "'~n3' | '~n7'" of the reference rows with these slugs or codes, evaluated once per
    query; an unknown value matches nothing (the bare prefix, such as '~n', is no row's lexeme)."""

    template = (
        "(SELECT COALESCE(string_agg(quote_literal(%(prefix)s || id), ' | '), quote_literal(%(prefix)s))::tsquery "
        "FROM %(table)s WHERE %(column)s IN (%(expressions)s))"
    )
    output_field = BooleanField()


def _lexeme(text: str) -> str:
    """A quoted tsquery operand: whatever it holds (quotes, backslashes, operators), it stays one lexeme."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _term_lexeme(term: str) -> str:
    # Of 3 to 5 characters, a term is an exact lexeme (the vector holds every word's first 3, 4 and 5
    # characters, migration 0006); shorter, a prefix.
    return _lexeme(term) if len(term) in WORD_START_LENGTHS else f"{_lexeme(term)}:*"


def _any_of(operands: list[str]) -> str:
    return operands[0] if len(operands) == 1 else "(" + " | ".join(operands) + ")"


def _tsquery(filters: "SearchFilters") -> str:
    """The text and the facet filters that need no lookup, as tsquery text ("" when there are none)."""
    operands = [_any_of([_term_lexeme(term) for term in group]) for group in filters.term_groups]
    if filters.families:
        operands.append(_any_of([_lexeme(f"~f{code}") for code in filters.families]))
    for flag, wanted in (
        ("employer", filters.employer),
        ("volunteers", filters.volunteers),
        ("verified", STATUS_VERIFIED in filters.statuses),
    ):
        if wanted:
            operands.append(_lexeme(f"~{flag}"))
    return " & ".join(operands)


def _vector_condition(filters: "SearchFilters") -> Q | None:
    """PostgreSQL: the text and every facet filter as one tsquery over search_vector, answered by one scan
    of its GIN index, which walks the rarest posting list and skips through the others instead of building
    one bitmap per filter and ANDing them (a theme family alone is 300,000 rows at national scale)."""
    expressions = []
    if text := _tsquery(filters):
        expressions.append(RawSQL("%s::tsquery", (text,)))
    for prefix, model, column, values in (
        ("~n", Neighbourhood, "slug", filters.neighbourhoods),
        ("~q", PriorityArea, "code", filters.qpvs),
        ("~a", Audience, "slug", filters.audiences),
    ):
        if values:
            expressions.append(
                _LexemesOf(
                    *[Value(value) for value in values],
                    prefix=f"'{prefix}'",
                    table=connection.ops.quote_name(model._meta.db_table),
                    column=connection.ops.quote_name(column),
                )
            )
    return Q(_VectorMatch(*expressions)) if expressions else None


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _can_be_fuzzy(filters: "SearchFilters") -> bool:
    return _is_postgresql() and bool(filters.terms) and len(search.fold(filters.q)) >= FUZZY_MIN_LENGTH


def _text_condition(filters: "SearchFilters", *, mode: str = MODE_INDEX) -> Q:
    """The text alone (each group of terms must start a word); ``mode`` says how (see MODE_*)."""
    if _is_postgresql() and mode != MODE_SCAN:
        return _vector_condition(SearchFilters(q=filters.q, alternatives=filters.alternatives)) or Q()
    condition = Q()
    for group in filters.term_groups:
        any_term = Q()
        for term in group:
            any_term |= Q(search_text__startswith=term) | Q(search_text__contains=f" {term}")
        condition &= any_term
    return condition


def _relevance(filters: "SearchFilters", *, mode: str) -> list:
    """Order by relevance: typo matches by similarity; others with names matching every term first."""
    first, _ = _sort_keys(filters, mode=mode)
    return [first, "search_name", "id"]


def _sort_keys(filters: "SearchFilters", *, mode: str) -> tuple:
    """The page's order as two keys (then the id): by relevance, typo matches by similarity to the name,
    others with names matching every term first, then by name; or by name."""
    if filters.effective_order != ORDER_RELEVANCE:
        return Lower("search_name"), Value("")
    if mode == MODE_FUZZY:
        similarity = Func(
            Value(search.fold(filters.q)), F("search_name"), function="word_similarity", output_field=FloatField()
        )
        return Value(1.0) - similarity, F("search_name")
    condition = Q()
    for term in filters.terms:
        condition &= Q(spaced_name__contains=f" {term}")
    return Case(When(condition, then=Value(0)), default=Value(1), output_field=IntegerField()), F("search_name")


# --- Filtering --------------------------------------------------------------------------------------


def _visible(*, staff: bool) -> QuerySet[Association]:
    """Removed associations and those the register forbids publishing are never public."""
    queryset = Association.objects.all()
    if not staff:
        queryset = queryset.filter(publish_on_web=True).exclude(rna_position=RnaPosition.REMOVED)
    return queryset


def _positions(filters: "SearchFilters", *, staff: bool) -> list[str]:
    positions = []
    for status, values in STATUS_POSITIONS.items():
        if status in filters.statuses and (status != STATUS_REMOVED or staff):
            positions.extend(values)
    return positions or [RnaPosition.ACTIVE]


def _conditions(filters: "SearchFilters", *, staff: bool, mode: str = MODE_INDEX) -> dict[str, Q]:
    """One condition per filter, by name (on PostgreSQL, the text and the facets are one condition)."""
    conditions: dict[str, Q] = {}
    if _is_postgresql() and mode != MODE_SCAN:
        if (match := _vector_condition(filters)) is not None:
            conditions["match"] = match
        conditions["status"] = Q(rna_position__in=_positions(filters, staff=staff))
        return conditions
    if filters.terms:
        conditions["q"] = _text_condition(filters, mode=mode)
    if filters.families:
        conditions["family"] = Q(family_1__in=filters.families) | Q(family_2__in=filters.families)
    if filters.neighbourhoods:
        conditions["neighbourhood"] = Q(neighbourhood__slug__in=filters.neighbourhoods)
    if filters.qpvs:
        conditions["qpv"] = Q(qpv__code__in=filters.qpvs)
    if filters.audiences:
        # A subquery rather than a join: one row per association, whatever its number of publics.
        through = Association.audiences.through.objects.filter(audience__slug__in=filters.audiences)
        conditions["audience"] = Q(pk__in=through.values("association_id"))
    if filters.employer:
        conditions["employer"] = Q(is_employer=True)
    if filters.volunteers:
        conditions["volunteers"] = Q(accepts_volunteers=True)
    status = Q(rna_position__in=_positions(filters, staff=staff))
    if STATUS_VERIFIED in filters.statuses:
        status &= Q(verified_at__isnull=False)
    conditions["status"] = status
    return conditions


def _filtered(filters: "SearchFilters", *, staff: bool, mode: str = MODE_INDEX) -> QuerySet[Association]:
    queryset = _visible(staff=staff)
    for condition in _conditions(filters, staff=staff, mode=mode).values():
        queryset = queryset.filter(condition)
    return queryset


def association_search(
    *, filters: "SearchFilters", staff: bool = False, mode: str = MODE_INDEX
) -> QuerySet[Association]:
    """The matching associations, in name order (search_results applies relevance when it is affordable)."""
    return _filtered(filters, staff=staff, mode=mode).order_by("search_name", "id")


def _matches(filters: "SearchFilters", *, staff: bool, located: bool, mode: str = MODE_INDEX) -> QuerySet[Association]:
    """The matching associations in name order; ``located``: only those with coordinates (the map)."""
    queryset = association_search(filters=filters, staff=staff, mode=mode)
    if located:
        queryset = queryset.filter(latitude__isnull=False, longitude__isnull=False)
    return queryset


def _matching_ids(filters: "SearchFilters", *, staff: bool, located: bool, mode: str = MODE_INDEX) -> list[int]:
    """The ids of the matches, up to COUNT_LIMIT + 1 of them: their number is the count, and the page is
    read from them by primary key instead of searching again.

    On PostgreSQL, with a text or a filter, they come in the page's order, sorted in the same query from the
    rows it has just read (the matches are read once per page): by relevance or name when there are at most
    COUNT_LIMIT, else as found (see _paginator)."""
    queryset = _matches(filters, staff=staff, located=located).order_by()
    if not (_is_postgresql() and filters.narrows()):
        return list(queryset.values_list("pk", flat=True)[: COUNT_LIMIT + 1])
    if filters.effective_order == ORDER_RELEVANCE:
        queryset = queryset.annotate(spaced_name=Concat(Value(" "), "search_name"))
    first, second = _sort_keys(filters, mode=mode)
    sql, params = _sql(
        queryset.annotate(sort_1=first, sort_2=second).values("pk", "sort_1", "sort_2")[: COUNT_LIMIT + 1]
    )
    with connection.cursor() as cursor:
        # row_number() keeps the order the rows were found in (the table's physical order, the same from one
        # request to the next: parallel plans are turned off in search_settings).
        cursor.execute(
            f"WITH m AS MATERIALIZED (SELECT s.*, row_number() OVER () AS n FROM ({sql}) s) "
            "SELECT m.pk FROM m CROSS JOIN (SELECT COUNT(*) > %s AS capped FROM m) c "
            "ORDER BY CASE WHEN c.capped THEN m.n END, m.sort_1, m.sort_2, m.pk",
            (*params, COUNT_LIMIT),
        )
        return [pk for (pk,) in cursor.fetchall()]


def _corrected(filters: "SearchFilters") -> "SearchFilters | None":
    """PostgreSQL, when the words as typed find nothing together: each word that starts no word of the
    directory's vocabulary (``directory_search_word``, migration 0007) stands instead for its closest words
    there (trigram similarity, at most CORRECTIONS_PER_WORD). None when every word is known (they just do not
    meet in one association) or when an unknown one has nothing close: no typo to correct."""
    tokens = list(dict.fromkeys(search.tokens(filters.q)))
    with connection.cursor() as cursor:
        # Terms are [a-z0-9]+: nothing to escape in the LIKE pattern.
        cursor.execute(
            "SELECT t.word, EXISTS (SELECT FROM directory_search_word w WHERE w.word LIKE left(t.word, %s) || '%%'), "
            "ARRAY(SELECT w.word FROM directory_search_word w WHERE length(t.word) >= %s AND w.word %% t.word "
            "ORDER BY similarity(w.word, t.word) DESC, w.word LIMIT %s) "
            "FROM unnest(%s::text[]) WITH ORDINALITY AS t(word, n) ORDER BY t.n",
            [search.PREFIX_LENGTH, FUZZY_MIN_LENGTH, CORRECTIONS_PER_WORD, tokens],
        )
        rows = cursor.fetchall()
    groups: list[tuple[str, ...]] = []
    corrected = False
    for token, known, close in rows:
        if known:
            group: tuple[str, ...] = (token[: search.PREFIX_LENGTH],)
        elif close:
            group, corrected = tuple(dict.fromkeys(word[: search.PREFIX_LENGTH] for word in close)), True
        else:
            return None
        if group not in groups:
            groups.append(group)
    return replace(filters, alternatives=tuple(groups)) if corrected else None


def matching(filters: "SearchFilters", *, staff: bool, located: bool = False) -> tuple["SearchFilters", list[int], str]:
    """(the filters to search with, the ids of the matches up to COUNT_LIMIT + 1, the text mode).

    When the words as typed find nothing, typos: on PostgreSQL the close words of the vocabulary are tried
    (two more queries, only then)."""
    ids = _matching_ids(filters, staff=staff, located=located)
    corrected = _corrected(filters) if not ids and _can_be_fuzzy(filters) else None
    if corrected is not None and (fuzzy_ids := _matching_ids(corrected, staff=staff, located=located, mode=MODE_FUZZY)):
        return corrected, fuzzy_ids, MODE_FUZZY
    return filters, ids, MODE_INDEX


class CountedPaginator(Paginator):
    """A paginator told its count (capped: see _matching_ids) instead of running COUNT(*) itself.

    ``stored_order``: the rows come unsorted on purpose (too many matches, see search_results)."""

    def __init__(self, object_list, per_page, *, count: int, stored_order: bool = False):
        self.stored_order = stored_order
        super().__init__(object_list, per_page)
        self.count = count

    def _check_object_list_is_ordered(self):
        if not self.stored_order:
            super()._check_object_list_is_ordered()


class IdsPaginator(CountedPaginator):
    """Pages of matches whose ids came in the page's order (PostgreSQL, see _matching_ids): a page reads its
    rows by primary key."""

    def __init__(self, object_list, per_page, *, count: int, ids: list[int]):
        super().__init__(object_list, per_page, count=count, stored_order=True)
        self.ids = ids

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        wanted = self.ids[bottom : min(bottom + self.per_page, self.count)]
        found = {row.pk: row for row in self.object_list.filter(pk__in=wanted).order_by()} if wanted else {}
        return self._get_page([found[pk] for pk in wanted if pk in found], number, self)


# --- Facets -----------------------------------------------------------------------------------------


@dataclass
class FacetValue:
    value: str
    label: str
    count: int | None
    selected: bool


@dataclass
class Facet:
    name: str  # the query-string parameter
    label: str
    values: list[FacetValue] = field(default_factory=list)
    multiple: bool = True
    total: int | None = None  # for "flags": the number of results, when counted

    @property
    def has_selection(self) -> bool:
        return any(value.selected for value in self.values)


def _sql(queryset: QuerySet) -> tuple[str, tuple]:
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


# Each row of the facets query: (facet, value, label, n, n_verified, n_employer, n_volunteers, kind), where
# kind is "ref" (a value from a reference table, n = 0), "count" (a counted value) or "total" (the size of
# the base set, up to FACET_LIMIT + 1: beyond FACET_LIMIT the counts are not complete and are not shown).
_ROW = "SELECT {facet} AS facet, {value} AS value, {label} AS label, {n} AS n, {extra}, '{kind}' AS kind"
_BASE_COLUMNS = [
    "id", "family_1", "family_2", "neighbourhood_id", "qpv_id", "rna_position", "verified_at", "is_employer",
    "accepts_volunteers",
]  # fmt: skip


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _sql(queryset: QuerySet) -> tuple[str, tuple]:
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def _in(column: str, values) -> tuple[str, tuple]:
    return f"{column} IN ({', '.join(['%s'] * len(values))})", tuple(values)


def _base_conditions(filters: SearchFilters, *, staff: bool) -> dict[str, tuple[str, tuple]]:
    """The facet filters as SQL over the base set's columns (alias b), one per facet."""
    true = "TRUE" if _is_postgresql() else "1"
    conditions: dict[str, tuple[str, tuple]] = {}
    if filters.families:
        first, params_1 = _in("b.family_1", filters.families)
        second, params_2 = _in("b.family_2", filters.families)
        conditions["family"] = (f"({first} OR {second})", params_1 + params_2)
    if filters.neighbourhoods:
        sql, params = _in("slug", filters.neighbourhoods)
        conditions["neighbourhood"] = (
            f"b.neighbourhood_id IN (SELECT id FROM {Neighbourhood._meta.db_table} WHERE {sql})",
            params,
        )
    if filters.qpvs:
        sql, params = _in("code", filters.qpvs)
        conditions["qpv"] = (f"b.qpv_id IN (SELECT id FROM {PriorityArea._meta.db_table} WHERE {sql})", params)
    if filters.audiences and _is_postgresql():
        sql, params = _in("slug", filters.audiences)
        conditions["audience"] = (
            f"b.audience_ids && ARRAY(SELECT id::integer FROM {Audience._meta.db_table} WHERE {sql})",
            params,
        )
    elif filters.audiences:
        sql, params = _in("a.slug", filters.audiences)
        through = Association.audiences.through._meta.db_table
        conditions["audience"] = (
            f"b.id IN (SELECT t.association_id FROM {through} t JOIN {Audience._meta.db_table} a "
            f"ON a.id = t.audience_id WHERE {sql})",
            params,
        )
    if filters.employer:
        conditions["employer"] = (f"b.is_employer = {true}", ())
    if filters.volunteers:
        conditions["volunteers"] = (f"b.accepts_volunteers = {true}", ())
    sql, params = _in("b.rna_position", _positions(filters, staff=staff))
    if STATUS_VERIFIED in filters.statuses:
        sql += " AND b.verified_at IS NOT NULL"
    conditions["status"] = (f"({sql})", params)
    return conditions


def _where(conditions: dict[str, tuple[str, tuple]], *, without: str = "") -> tuple[str, tuple]:
    parts = [(sql, params) for name, (sql, params) in conditions.items() if name != without]
    if not parts:
        return "", ()
    return " WHERE " + " AND ".join(sql for sql, _ in parts), tuple(p for _, params in parts for p in params)


_reference_sql: dict[str, list[tuple[str, tuple]]] = {}


def _reference_parts() -> list[tuple[str, tuple]]:
    """The facet values from the small reference tables: their labels, and what to offer without counts.
    The same SQL on every page: compiled once per database vendor."""
    if connection.vendor not in _reference_sql:
        _reference_sql[connection.vendor] = _compile_reference_parts()
    return _reference_sql[connection.vendor]


def _compile_reference_parts() -> list[tuple[str, tuple]]:
    parts = []
    for facet, queryset, value, label in (
        ("family", Theme.objects.filter(code=F("family_code")), "code", "label"),
        ("neighbourhood", Neighbourhood.objects.all(), "slug", "name"),
        ("qpv", PriorityArea.objects.all(), "code", "name"),
        ("audience", Audience.objects.all(), "slug", "name"),
    ):
        inner, params = _sql(queryset.order_by().values(value, label))
        select = _ROW.format(
            facet=f"'{facet}'", value=f"g.{_q(value)}", label=f"g.{_q(label)}", n="0", extra="0, 0, 0", kind="ref"
        )
        parts.append((f"{select} FROM ({inner}) g", params))
    return parts


def _count_parts(filters: SearchFilters, *, staff: bool) -> list[tuple[str, tuple]]:
    """One GROUP BY per facet over the base set b, each leaving out the facet's own filter (disjunctive
    facets: with one neighbourhood ticked, the others keep their counts and can be added)."""
    conditions = _base_conditions(filters, staff=staff)
    zero = "0, 0, 0"
    parts = [
        (_ROW.format(facet="'total'", value="''", label="''", n="COUNT(*)", extra=zero, kind="total") + " FROM b", ())
    ]
    # Theme families: an association counts once in each of its (at most two) families.
    where, params = _where(conditions, without="family")
    select = _ROW.format(facet="'family'", value="s.fam", label="''", n="COUNT(*)", extra=zero, kind="count")
    parts.append(
        (
            f"{select} FROM (SELECT CASE WHEN k.n = 1 THEN b.family_1 ELSE b.family_2 END AS fam "
            f"FROM b CROSS JOIN (SELECT 1 AS n UNION ALL SELECT 2) k{where}) s WHERE s.fam <> '' GROUP BY s.fam",
            params,
        )
    )
    for facet, table, column, key in (
        ("neighbourhood", Neighbourhood._meta.db_table, "neighbourhood_id", "slug"),
        ("qpv", PriorityArea._meta.db_table, "qpv_id", "code"),
    ):
        where, params = _where(conditions, without=facet)
        select = _ROW.format(facet=f"'{facet}'", value=f"r.{key}", label="''", n="COUNT(*)", extra=zero, kind="count")
        parts.append((f"{select} FROM b JOIN {table} r ON r.id = b.{column}{where} GROUP BY r.{key}", params))
    where, params = _where(conditions, without="audience")
    through = Association.audiences.through._meta.db_table
    select = _ROW.format(facet="'audience'", value="a.slug", label="''", n="COUNT(*)", extra=zero, kind="count")
    if _is_postgresql():  # the publics denormalised in the row (migration 0006)
        publics = "b CROSS JOIN unnest(b.audience_ids) AS t(audience_id)"
    else:
        publics = f"b JOIN {through} t ON t.association_id = b.id"
    parts.append(
        (
            f"{select} FROM {publics} JOIN {Audience._meta.db_table} a ON a.id = t.audience_id{where} GROUP BY a.slug",
            params,
        )
    )
    # Status: by RNA position, with the verified ones.
    where, params = _where(conditions, without="status")
    extra = "SUM(CASE WHEN b.verified_at IS NOT NULL THEN 1 ELSE 0 END), 0, 0"
    select = _ROW.format(facet="'status'", value="b.rna_position", label="''", n="COUNT(*)", extra=extra, kind="count")
    parts.append((f"{select} FROM b{where} GROUP BY b.rna_position", params))
    # Employer and looking for volunteers: single checkboxes, counted within the results.
    where, params = _where(conditions)
    true = "TRUE" if _is_postgresql() else "1"
    extra = (
        f"0, SUM(CASE WHEN b.is_employer = {true} THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN b.accepts_volunteers = {true} THEN 1 ELSE 0 END)"
    )
    select = _ROW.format(facet="'flags'", value="''", label="''", n="COUNT(*)", extra=extra, kind="count")
    parts.append((f"{select} FROM b{where}", params))
    return parts


def _facet_rows(filters: SearchFilters, *, staff: bool, mode: str, count: bool) -> list[tuple]:
    """Every facet in one round trip. The base set b (visible associations matching the text, any
    status, no facet filter) is read once, up to FACET_LIMIT + 1 rows, then grouped once per facet.
    Without ``count``, only the values of the reference tables (no base set is read)."""
    if not count:
        references = _reference_parts()
        with connection.cursor() as cursor:
            cursor.execute(
                " UNION ALL ".join(part for part, _ in references),
                tuple(param for _, params in references for param in params),
            )
            return cursor.fetchall()
    base = _visible(staff=staff)
    if filters.term_groups:
        base = base.filter(_text_condition(filters, mode=mode))
    columns = _BASE_COLUMNS
    if _is_postgresql():
        base = base.annotate(audience_ids=RawSQL("audience_ids", ()))
        columns = [*columns, "audience_ids"]
    base_sql, base_params = _sql(base.order_by().values(*columns)[: FACET_LIMIT + 1])
    parts = _count_parts(filters, staff=staff) + _reference_parts()
    materialized = "MATERIALIZED " if _is_postgresql() or connection.Database.sqlite_version_info >= (3, 35) else ""
    # Only constants and Django-compiled SQL are pasted together; every value is a parameter.
    union = " UNION ALL ".join(f"SELECT * FROM ({part}) p{index}" for index, (part, _) in enumerate(parts))
    sql = f"WITH b AS {materialized}({base_sql}) {union}"
    params = base_params + tuple(param for _, part_params in parts for param in part_params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# The facets' base set is not read when PostgreSQL's planner expects the text alone to match more than this
# many times FACET_LIMIT associations: its estimates of common words (statistics target 1000 on the vector,
# migration 0006) are within a factor of two or so, and a rare word is estimated low, so read.
FACET_ESTIMATE_MARGIN = 5


def _base_expected_too_large(filters: SearchFilters, *, staff: bool, mode: str) -> bool:
    """PostgreSQL, with a text and a filter: whether the planner expects the text alone to match far more
    associations than FACET_LIMIT (one EXPLAIN, no row read). Without a filter the base set is about the
    matches themselves (all statuses instead of the active ones), already counted."""
    if not (_is_postgresql() and filters.term_groups and filters.has_filters()):
        return False
    base_sql, base_params = _sql(_visible(staff=staff).filter(_text_condition(filters, mode=mode)).values("pk"))
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {base_sql}", base_params)
        [plan] = cursor.fetchone()[0]
    return plan["Plan"]["Plan Rows"] > FACET_ESTIMATE_MARGIN * FACET_LIMIT


def search_facets(
    *, filters: SearchFilters, staff: bool = False, mode: str = MODE_INDEX, count: bool = True
) -> tuple[list[Facet], bool]:
    """The facets, in one query: with counts when at most FACET_LIMIT visible associations match the text
    (whatever the facet filters), else their values without counts. ``count=False``: the caller knows that
    more than FACET_LIMIT match (the base set is not read)."""
    labels: dict[str, dict[str, str]] = {}
    counts: dict[str, dict[str, tuple]] = {}
    counted = count
    for facet, value, label, n, *extra, kind in _facet_rows(filters, staff=staff, mode=mode, count=count):
        if kind == "ref":
            labels.setdefault(facet, {})[value] = label
        elif kind == "total":
            counted = n <= FACET_LIMIT
        else:
            counts.setdefault(facet, {})[value] = (n, *(number or 0 for number in extra))
    selected = {
        "family": set(filters.families),
        "neighbourhood": set(filters.neighbourhoods),
        "qpv": set(filters.qpvs),
        "audience": set(filters.audiences),
    }
    titles = {
        "family": _("Theme"),
        "neighbourhood": _("Neighbourhood"),
        "qpv": _("Priority neighbourhood (QPV)"),
        "audience": _("Publics served"),
    }
    facets = []
    for name, title in titles.items():
        is_counted = counted
        facet_counts = counts.get(name, {})
        known = labels.get(name, {})
        values = []
        for value, label in known.items():
            count = facet_counts.get(value, (0,))[0] if is_counted else None
            if count == 0 and value not in selected[name]:
                continue  # nothing to find there: not offered
            values.append(FacetValue(value=value, label=label, count=count, selected=value in selected[name]))
        # A selected value unknown to the reference table still shows, so that it can be unticked.
        values += [FacetValue(value, value, 0 if is_counted else None, True) for value in selected[name] - known.keys()]
        values.sort(key=lambda item: (-(item.count or 0), item.label.casefold()))
        facets.append(Facet(name=name, label=title, values=values))
    facets.append(_status_facet(filters, counts.get("status", {}), staff=staff, counted=counted))
    facets.append(_flag_facet(filters, counts.get("flags", {}).get(""), counted=counted))
    return facets, counted


def _status_facet(filters: SearchFilters, per_position: dict[str, tuple], *, staff: bool, counted: bool) -> Facet:
    positions = set(_positions(filters, staff=staff))
    statuses = [STATUS_ACTIVE, STATUS_DISSOLVED] + ([STATUS_REMOVED] if staff else [])
    values = []
    for status in statuses:
        count = sum(per_position.get(p, (0,))[0] for p in STATUS_POSITIONS[status]) if counted else None
        values.append(FacetValue(status, str(STATUS_LABELS[status]), count, status in filters.statuses))
    verified = sum(row[1] for position, row in per_position.items() if position in positions) if counted else None
    values.append(
        FacetValue(STATUS_VERIFIED, str(STATUS_LABELS[STATUS_VERIFIED]), verified, STATUS_VERIFIED in filters.statuses)
    )
    return Facet(name="status", label=_("Status"), values=values)


def _flag_facet(filters: SearchFilters, row: tuple | None, *, counted: bool) -> Facet:
    """Looking for volunteers, employer: single checkboxes, counted within the results."""
    row = row or (0, 0, 0, 0)
    return Facet(
        name="flags",
        label=_("Other criteria"),
        multiple=False,
        total=row[0] if counted else None,
        values=[
            FacetValue("volunteers", str(_("Looking for volunteers")), row[3] if counted else None, filters.volunteers),
            FacetValue("employer", str(_("Employer")), row[2] if counted else None, filters.employer),
        ],
    )


# --- Server settings --------------------------------------------------------------------------------

# PostgreSQL, for the search's queries only: a text word and a facet each give a bitmap of matching rows,
# 400,000 rows for a common theme at 1.9M associations. Within the default 4 MB of work_mem such a bitmap
# turns lossy (whole pages, every row of which is then rechecked: 3 s for "culture" in sports clubs), with
# 64 MB it stays exact. JIT compiling (for plans the planner finds costly) takes longer than these queries.
SEARCH_WORK_MEM = "64MB"


@contextmanager
def search_settings():
    """Run the search's queries (count, facets, page: the page is read when iterated) inside this block."""
    if not _is_postgresql():
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            # No parallel plan: a page of unsorted matches must come in the same order from one request to the
            # next, and these queries are too short to gain from workers.
            cursor.execute(
                "SELECT set_config('work_mem', %s, true), set_config('jit', 'off', true), "
                "set_config('max_parallel_workers_per_gather', '0', true)",
                [SEARCH_WORK_MEM],
            )
        yield


# --- The result page --------------------------------------------------------------------------------


@dataclass
class SearchResults:
    page: Page
    facets: list[Facet]
    total: int  # up to COUNT_LIMIT
    is_capped: bool  # more than COUNT_LIMIT matches: the total is a lower bound
    facets_counted: bool
    order: str  # the order actually used
    fuzzy: bool  # nothing matched the words exactly: these are names close to the query (typos)


def search_results(
    *,
    filters: SearchFilters,
    page_number,
    staff: bool = False,
    per_page: int = PAGE_SIZE,
    with_facets: bool = True,
    located: bool = False,
) -> SearchResults:
    """One page of results: count, facets, page (plus an estimate on PostgreSQL with text), whatever the data.
    ``located`` keeps the associations that have coordinates (the map)."""
    filters, ids, mode = matching(filters, staff=staff, located=located)
    counted = len(ids)
    total, is_capped = min(counted, COUNT_LIMIT), counted > COUNT_LIMIT
    facets, facets_counted = [], False
    if with_facets:
        # The facets' base set (the text alone) holds every match: with more than COUNT_LIMIT (= FACET_LIMIT)
        # matches it is too large to count, and is not read; nor when the text alone is expected to match far
        # more (a common word with a rare filter: 1,001 rows read for nothing).
        # (The estimate is asked even when capped, so that the page's number of queries depends on the request
        # alone, not on the data.)
        too_large = _base_expected_too_large(filters, staff=staff, mode=mode)
        count = not is_capped and not too_large
        facets, facets_counted = search_facets(filters=filters, staff=staff, mode=mode, count=count)
    paginator, order = _paginator(filters, ids, staff=staff, mode=mode, per_page=per_page, located=located)
    return SearchResults(
        page=paginator.get_page(page_number),
        facets=facets,
        total=total,
        is_capped=is_capped,
        facets_counted=facets_counted,
        order=order,
        fuzzy=mode == MODE_FUZZY,
    )


def _paginator(
    filters: SearchFilters, ids: list[int], *, staff: bool, mode: str, per_page: int, located: bool
) -> tuple[Paginator, str]:
    """The pages of the matches whose ids were counted (up to COUNT_LIMIT + 1), and the order used."""
    total = min(len(ids), COUNT_LIMIT)
    rows = Association.objects.select_related("neighbourhood").only(*RESULT_FIELDS)
    if not filters.narrows():
        # Neither text nor filter: read in the order of the (rna_position, search_name) index.
        rows = _matches(filters, staff=staff, located=located, mode=mode).select_related("neighbourhood")
        return CountedPaginator(rows.only(*RESULT_FIELDS), per_page, count=total), ORDER_NAME
    if _is_postgresql():
        # The ids came sorted (_matching_ids): a page reads its rows by primary key.
        order = ORDER_REGISTER if len(ids) > COUNT_LIMIT else filters.effective_order
        return IdsPaginator(rows, per_page, count=total, ids=ids), order
    if len(ids) > COUNT_LIMIT:
        # Too many matches to sort them all (at national scale a common word or a theme matches 100,000
        # rows): they come as found, and the page says so (any ORDER BY, even by id, makes PostgreSQL fetch
        # every match from the table to sort them: 185 ms for "soutien scolaire" in two families at 1.9M
        # associations, against a few ms for the first 1,001 as found). SQLite, small, keeps the id order
        # of every match.
        rows = _matches(filters, staff=staff, located=located, mode=mode).select_related("neighbourhood")
        rows = rows.only(*RESULT_FIELDS).order_by("id")
        return CountedPaginator(rows, per_page, count=total), ORDER_REGISTER
    # At most COUNT_LIMIT matches: sorted, read by primary key from the ids just counted.
    rows = rows.filter(pk__in=ids)
    if filters.effective_order == ORDER_RELEVANCE:
        rows = rows.annotate(spaced_name=Concat(Value(" "), "search_name")).order_by(*_relevance(filters, mode=mode))
    else:
        # Never by walking the name index: names are correlated with words and themes ("Tennis club…" all sit
        # under T, sports clubs rarely under A), so such a walk can read most of the table before it finds a
        # page of matches.
        rows = rows.order_by(*_sort_keys(filters, mode=mode)[:1], "id")
    return CountedPaginator(rows, per_page, count=total), filters.effective_order


def office_address(association: Association) -> str:
    """The registered office on one line ("12 bis rue Victor Hugo, 91999 Bellerive-sur-Orge"), placeholders left out."""

    def clean(value: str) -> str:
        return " ".join(value.replace("_", " ").split())

    street = " ".join(
        part
        for part in (
            clean(association.office_street_number),
            clean(association.office_street_repetition).lower(),
            clean(association.office_street_type).lower(),
            clean(association.office_street_name),
        )
        if part
    )
    town = " ".join(part for part in (clean(association.office_postcode), clean(association.office_city)) if part)
    return ", ".join(part for part in (street, town) if part)
