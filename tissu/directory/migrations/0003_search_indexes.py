"""PostgreSQL only: full-text index over search_text and trigram index over search_name (typo tolerance).

SQLite searches the same normalised columns with LIKE, which is correct at a city's scale.
"""

from django.db import migrations

UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS directory_association_fts ON directory_association "
    "USING gin (to_tsvector('simple'::regconfig, search_text))",
    "CREATE INDEX IF NOT EXISTS directory_association_name_trgm ON directory_association "
    "USING gin (search_name gin_trgm_ops)",
]
DOWN = [
    "DROP INDEX IF EXISTS directory_association_name_trgm",
    "DROP INDEX IF EXISTS directory_association_fts",
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
    dependencies = [("directory", "0002_load_themes")]
    operations = [migrations.RunPython(forwards, backwards)]
