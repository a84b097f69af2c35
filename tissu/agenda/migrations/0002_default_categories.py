"""A starting list of event categories (the associations office edits it in the admin)."""

from django.db import migrations

CATEGORIES = [
    ("forum", "Forum"),
    ("formation", "Formation"),
    ("fete", "Fête"),
    ("rencontre", "Rencontre entre associations"),
    ("atelier", "Atelier"),
    ("conference", "Conférence, débat"),
    ("sport", "Sport"),
    ("culture", "Culture"),
    ("solidarite", "Solidarité"),
]


def create(apps, schema_editor):
    Category = apps.get_model("agenda", "Category")
    for slug, name in CATEGORIES:
        Category.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("agenda", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
