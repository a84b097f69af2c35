"""PostgreSQL only: every search filter inside the one full-text index, and a vocabulary for typos.

At 1.9M associations a word and a theme family each gave a bitmap of their own (a family is 300,000 to
400,000 rows: 15 to 45 ms to build it from its btree, for every count, facets and page query), ANDed
after both were complete. Now:

- ``search_vector`` also holds one lexeme per facet value of the row (FACET_LEXEMES below): ``~f011000``
  for a theme family, ``~n<id>`` a neighbourhood, ``~q<id>`` a QPV, ``~a<id>`` each public served,
  ``~employer``, ``~volunteers``, ``~verified``. A search is then one tsquery (``'sport' & ('~f011000' |
  '~f006000') & '~volunteers'``) answered by one GIN scan, which walks the rarest posting list and skips
  through the others instead of building each bitmap in full ("commerçants" in the culture family: 98 ms
  → 7 ms). The "~" never starts a word of search_text (words are [a-z0-9]+), so nothing collides. The
  facet lexemes come from the row's own columns (audience_ids is the denormalised many-to-many table of
  0006), so PostgreSQL keeps the generated column right whatever writes the row.
- ``directory_search_word``: the distinct words of search_text (stems), with a trigram index. When a
  query finds nothing, each of its words is compared with this vocabulary (a few thousand to a few
  hundred thousand rows) instead of the query with every name (a trigram scan of 1.9M names: 40 ms for
  one word, 240 ms for three). Statement triggers with transition tables add the words of the rows a
  statement inserted or updated (the RNA import's COPY included); words are never removed (a word no
  longer used only proposes a correction that finds nothing).
- The trigram index on search_name (0003) and the GIN index on audience_ids (0006) are no longer read by
  any query: dropped (two index builds fewer for a bulk import).

SQLite, a city's scale, keeps its column conditions and LIKE (tissu.directory.search_selectors).
"""

from django.db import migrations

TABLE = "directory_association"
WORDS = "directory_search_word"

# One inlinable expression (no sub-select: it runs for each row a COPY writes).
FACET_LEXEMES = """CREATE FUNCTION directory_facet_lexemes(
        family_1 text, family_2 text, neighbourhood_id bigint, qpv_id bigint, audience_ids integer[],
        is_employer boolean, accepts_volunteers boolean, verified_at timestamptz) RETURNS tsvector
    IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
    SELECT array_to_tsvector(array_remove(ARRAY[
        CASE WHEN family_1 <> '' THEN '~f' || family_1 END,
        CASE WHEN family_2 <> '' THEN '~f' || family_2 END,
        CASE WHEN neighbourhood_id IS NOT NULL THEN '~n' || neighbourhood_id END,
        CASE WHEN qpv_id IS NOT NULL THEN '~q' || qpv_id END,
        CASE WHEN is_employer THEN '~employer' END,
        CASE WHEN accepts_volunteers THEN '~volunteers' END,
        CASE WHEN verified_at IS NOT NULL THEN '~verified' END
    ] || CASE WHEN cardinality(audience_ids) > 0
              THEN string_to_array('~a' || array_to_string(audience_ids, ' ~a'), ' ')
              ELSE '{}'::text[] END, NULL))
$$"""
VECTOR = (
    "to_tsvector('simple'::regconfig, search_text) || directory_word_starts(search_text) || "
    "directory_facet_lexemes(family_1, family_2, neighbourhood_id, qpv_id, audience_ids, is_employer, "
    "accepts_volunteers, verified_at)"
)
OLD_VECTOR = "to_tsvector('simple'::regconfig, search_text) || directory_word_starts(search_text)"

ADD_WORDS = f"""CREATE FUNCTION directory_search_words_add() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {WORDS} (word)
        SELECT DISTINCT word FROM new_rows, unnest(string_to_array(new_rows.search_text, ' ')) AS word
        WHERE word <> ''
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$"""


def _vector_column(expression: str) -> list[str]:
    return [
        "DROP INDEX IF EXISTS directory_association_search_vector",
        f"ALTER TABLE {TABLE} DROP COLUMN search_vector",
        f"ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({expression}) STORED",
        f"CREATE INDEX directory_association_search_vector ON {TABLE} USING gin (search_vector)",
        f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STATISTICS 1000",
    ]


UP = [
    "DROP INDEX IF EXISTS directory_association_name_trgm",
    "DROP INDEX IF EXISTS directory_association_audience_ids",
    FACET_LEXEMES,
    *_vector_column(VECTOR),
    f"CREATE TABLE {WORDS} (word text PRIMARY KEY)",
    f"""INSERT INTO {WORDS} (word)
        SELECT DISTINCT word FROM {TABLE}, unnest(string_to_array(search_text, ' ')) AS word WHERE word <> ''""",
    f"CREATE INDEX {WORDS}_trgm ON {WORDS} USING gin (word gin_trgm_ops)",
    ADD_WORDS,
    f"""CREATE TRIGGER directory_search_words_insert AFTER INSERT ON {TABLE}
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION directory_search_words_add()""",
    f"""CREATE TRIGGER directory_search_words_update AFTER UPDATE ON {TABLE}
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION directory_search_words_add()""",
    f"ANALYZE {TABLE}",
    f"ANALYZE {WORDS}",
]
DOWN = [
    f"DROP TRIGGER IF EXISTS directory_search_words_update ON {TABLE}",
    f"DROP TRIGGER IF EXISTS directory_search_words_insert ON {TABLE}",
    "DROP FUNCTION IF EXISTS directory_search_words_add()",
    f"DROP TABLE IF EXISTS {WORDS}",
    *_vector_column(OLD_VECTOR),
    "DROP FUNCTION IF EXISTS directory_facet_lexemes(text, text, bigint, bigint, integer[], boolean, boolean, "
    "timestamptz)",
    f"CREATE INDEX IF NOT EXISTS directory_association_audience_ids ON {TABLE} USING gin (audience_ids)",
    f"CREATE INDEX IF NOT EXISTS directory_association_name_trgm ON {TABLE} USING gin (search_name gin_trgm_ops)",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in UP:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("directory", "0006_search_columns")]
    operations = [migrations.RunPython(forwards, backwards)]
