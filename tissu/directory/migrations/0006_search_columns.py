"""PostgreSQL only: two columns for the directory search at national scale (1.9M associations).

- ``search_vector``: ``to_tsvector('simple', search_text)`` and the word starts (WORD_STARTS below) stored
  once (a generated column, kept up to date by PostgreSQL itself) instead of an expression index. A row read by a scan or rechecked after a
  lossy bitmap no longer recomputes the vector (about 12 µs a row: 180 ms to find 1,000 matches of a
  common word among 15,000 rows), and the planner costs the match as the cheap operator it then is.
- ``audience_ids``: the ids of the association's publics served (the many-to-many table), sorted, kept in
  sync by triggers on that table whatever writes it (profile form, staff, demo, admin, imports: rows are
  added and deleted, never updated). The search filters on it in the row itself: the semi-join it replaces was misestimated (3,600 associations
  expected for a public 63,000 have) and checked each one by primary key (2 to 5 s with a text query).

Neither column is a model field: Django never writes them, and SQLite (a city's scale) keeps searching
``search_text`` with LIKE and the many-to-many table with a subquery (tissu.directory.search_selectors).
"""

from django.db import migrations

TABLE = "directory_association"
THROUGH = "directory_association_audiences"

# The words of search_text, plus the first 3, 4 and 5 characters of each longer word as lexemes of their own:
# a query term (a stem prefix of at most 5 characters, tissu.directory.search.query_terms) of 3 to 5
# characters is then an exact lexeme, not a prefix (``term:*``), and the GIN index answers it from one
# posting list, ANDing the terms inside the index: a prefix makes it collect the matches of every lexeme
# starting with the term into a bitmap first (0.4 to 1.5 µs a match: 170 ms for "jeun:*" at 1.9M rows).
# The matches are the same: a word starts with the term exactly when the term is the word itself or one of
# the indexed starts of the word.
WORD_STARTS = """CREATE FUNCTION directory_word_starts(text) RETURNS tsvector
    IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
    SELECT array_to_tsvector(ARRAY(
        SELECT DISTINCT left(word, n) FROM unnest(string_to_array($1, ' ')) AS word, generate_series(3, 5) AS n
        WHERE length(word) > n))
$$"""
VECTOR = "to_tsvector('simple'::regconfig, search_text) || directory_word_starts(search_text)"

UP = [
    "DROP INDEX IF EXISTS directory_association_fts",
    f"ALTER TABLE {TABLE} ADD COLUMN audience_ids integer[] NOT NULL DEFAULT '{{}}'",
    f"""UPDATE {TABLE} a SET audience_ids = t.ids
        FROM (SELECT association_id, array_agg(audience_id ORDER BY audience_id) AS ids
              FROM {THROUGH} GROUP BY association_id) t
        WHERE a.id = t.association_id""",
    # The rows' deferred foreign-key checks, queued by the UPDATE, must run before an index is created.
    "SET CONSTRAINTS ALL IMMEDIATE",
    WORD_STARTS,
    # After the UPDATE: adding a stored generated column rewrites the table once, without dead rows.
    f"ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({VECTOR}) STORED",
    f"""CREATE FUNCTION directory_association_audience_ids() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE {TABLE} a
            SET audience_ids = ARRAY(
                SELECT t.audience_id FROM {THROUGH} t WHERE t.association_id = a.id ORDER BY t.audience_id)
            WHERE a.id IN (
                SELECT association_id FROM changed_rows
            );
            RETURN NULL;
        END $$""",
    # Statement triggers with transition tables: one UPDATE per statement, however many rows it touched.
    f"""CREATE TRIGGER directory_association_audience_ids_insert AFTER INSERT ON {THROUGH}
        REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT
        EXECUTE FUNCTION directory_association_audience_ids()""",
    f"""CREATE TRIGGER directory_association_audience_ids_delete AFTER DELETE ON {THROUGH}
        REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT
        EXECUTE FUNCTION directory_association_audience_ids()""",
    f"CREATE INDEX directory_association_search_vector ON {TABLE} USING gin (search_vector)",
    f"CREATE INDEX directory_association_audience_ids ON {TABLE} USING gin (audience_ids)",
    # Finer statistics for the words (most common lexemes) and the publics: the planner's estimates of
    # how many associations match decide between reading rows in order and going through the index.
    f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STATISTICS 1000",
    f"ALTER TABLE {TABLE} ALTER COLUMN audience_ids SET STATISTICS 1000",
    f"ANALYZE {TABLE}",
]
DOWN = [
    f"DROP TRIGGER IF EXISTS directory_association_audience_ids_delete ON {THROUGH}",
    f"DROP TRIGGER IF EXISTS directory_association_audience_ids_insert ON {THROUGH}",
    "DROP FUNCTION IF EXISTS directory_association_audience_ids()",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS audience_ids",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector",
    "DROP FUNCTION IF EXISTS directory_word_starts(text)",
    f"CREATE INDEX IF NOT EXISTS directory_association_fts ON {TABLE} "
    "USING gin (to_tsvector('simple'::regconfig, search_text))",
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
    dependencies = [("directory", "0005_index_diet")]
    operations = [migrations.RunPython(forwards, backwards)]
