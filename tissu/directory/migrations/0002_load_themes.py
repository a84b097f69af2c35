import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "rna_nomenclature_objet_social.csv"


def load(apps, schema_editor):
    Theme = apps.get_model("directory", "Theme")
    with CSV.open(encoding="utf-8", newline="") as handle:
        rows = [Theme(code=r["objet_social"], label=r["libelle"], family_code=r["famille"]) for r in csv.DictReader(handle)]
    Theme.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
