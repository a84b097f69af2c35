"""manage.py import_rna: arguments, summary, failures."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tissu.city.models import CitySettings
from tissu.directory.models import Association, ImportRun

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def import_rna(*args) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("import_rna", *[str(arg) for arg in args], "--no-progress", stdout=out)
    return out.getvalue()


def test_it_prints_a_summary_with_the_rejected_lines():
    output = import_rna(DATA / "waldec_messy.csv", "--insee", "91999")
    assert re.search(r"created +7\n", output)
    assert re.search(r"rejected +4\n", output)
    assert re.search(r"outside the city +1\n", output)
    assert re.search(r"warnings +5\n", output)
    assert "waldec_messy.csv:5 W91999003 [rejected]" in output
    assert "Import finished." in output


def test_it_keeps_the_city_codes_by_default():
    CitySettings.objects.create(pk=1, insee_codes="91999")
    import_rna(DATA / "waldec_messy.csv")
    assert ImportRun.objects.get().insee_codes == "91999"
    assert not Association.objects.filter(office_insee_code="91228").exists()


def test_it_takes_several_files_postcodes_and_all():
    import_rna(DATA / "rna_waldec_sample_etalab_rna_as_api.csv", DATA / "waldec_messy.csv", "--postcode", "91000")
    assert list(Association.objects.values_list("rna_id", flat=True)) == ["W912280001"]
    import_rna(DATA / "rna_waldec_sample_etalab_rna_as_api.csv", "--all")
    assert Association.objects.count() == 4


def test_it_refuses_to_guess_when_no_code_is_known():
    with pytest.raises(CommandError, match="INSEE"), translation.override("en"):
        import_rna(DATA / "waldec_messy.csv")


def test_a_missing_file_is_named():
    with pytest.raises(CommandError, match=r"nowhere\.csv"):
        import_rna("nowhere.csv", "--all")


def test_a_file_of_another_format_fails_and_changes_nothing():
    with pytest.raises(CommandError, match="not an RNA extract"):
        import_rna(DATA / "not_rna.csv", "--all")
    assert not Association.objects.exists()
    assert ImportRun.objects.get().status == "failed"
