"""The RNA import engine: formats, encodings, quirks, idempotence, provenance, failures."""

import csv
import datetime
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from tissu.audit.models import AuditEntry
from tissu.city.models import CitySettings
from tissu.directory import imports
from tissu.directory.imports import ImportScope, detect_encoding, rna_import_files
from tissu.directory.models import Association, ImportRun, ImportStatus, RnaPosition

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
WALDEC_SAMPLE = DATA / "rna_waldec_sample_etalab_rna_as_api.csv"
IMPORT_SAMPLE = DATA / "rna_import_sample_etalab_rna_as_api.csv"
MESSY = DATA / "waldec_messy.csv"
CITY = ImportScope(insee_codes=("91999",))
EVERYTHING = ImportScope(import_all=True)


def run(*paths, scope=EVERYTHING) -> ImportRun:
    return rna_import_files(paths=list(paths), scope=scope)


def entries(run_: ImportRun, level: str) -> dict[int, str]:
    return {entry["line"]: entry["code"] for entry in run_.report if entry["level"] == level}


def rewrite(tmp_path, rna_id: str, **values) -> Path:
    """A copy of the messy file where the line of ``rna_id`` has some columns changed."""
    with MESSY.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    header = rows[0]
    for row in rows[1:]:
        if row and row[0] == rna_id and len(row) == len(header):
            for column, value in values.items():
                row[header.index(column)] = value
    path = tmp_path / f"changed_{rna_id}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\n").writerows(rows)
    return path


def snapshot() -> list[tuple]:
    return list(
        Association.objects.order_by("pk").values_list("pk", "rna_id", "name", "object", "rna_hash", "updated_at")
    )


def test_it_imports_the_waldec_sample_field_by_field():
    result = run(WALDEC_SAMPLE)
    assert (result.status, result.created, result.rejected, result.lines_read) == (ImportStatus.DONE, 3, 0, 3)
    owl = Association.objects.get(rna_id="W632007046")
    assert owl.name == "BLACK OWL"
    assert owl.object.startswith('promouvoir la scne indpendante musicale "psychdlique"')
    assert owl.creation_date == datetime.date(2014, 6, 17)
    assert owl.dissolution_date == datetime.date(2015, 1, 20)
    assert owl.rna_position == RnaPosition.DISSOLVED
    assert (owl.theme_1, owl.theme_2, owl.family_1) == ("006030", "", "006000")
    assert owl.office_street_number == "35" and owl.office_distribution == ""
    assert owl.office_insee_code == "63113" and owl.office_city == "Clermont-Ferrand"
    assert owl.mgmt_street == "35 RUE PASCAL"
    assert owl.rna_updated_at == datetime.datetime(2015, 2, 9, 12, 51, 34, tzinfo=ZoneInfo("Europe/Paris"))
    assert owl.slug == "black-owl-w632007046"
    assert "concert" in owl.search_text and owl.search_name == "black owl"
    ariadne = Association.objects.get(rna_id="W012000002")
    assert ariadne.publication_date is None and ariadne.dissolution_date is None  # 0001-01-01
    assert ariadne.rna_former_id == "2/08825"
    assert ariadne.rna_position == RnaPosition.ACTIVE and ariadne.publish_on_web


def test_it_imports_the_rna_import_sample_with_the_taken_over_w_numbers():
    result = run(IMPORT_SAMPLE)
    assert (result.created, result.rejected) == (3, 0)
    indigo = Association.objects.get(rna_former_id="751P00085568")
    assert indigo.rna_id == "W751085568"  # from observation, position R
    assert indigo.rna_position == RnaPosition.TAKEN_OVER
    assert (indigo.office_street_number, indigo.office_street_name) == ("10", "BD Brune")  # padded number split
    assert (indigo.office_postcode, indigo.office_city, indigo.office_insee_code) == ("75014", "PARIS", "75114")


def test_columns_are_found_by_name_whatever_their_order_and_number(tmp_path):
    with WALDEC_SAMPLE.open(newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    # A later release: columns reordered, telephone/email gone, an unknown column added.
    keep = [name for name in rows[0] if name not in {"telephone", "email"}]
    order = [*reversed(keep), "nouvelle_colonne"]
    path = tmp_path / "reordered.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        for row in rows:
            values = dict(zip(rows[0], row, strict=True))
            writer.writerow([values.get(name, "x") if row is not rows[0] else name for name in order])
    assert run(path).created == 3
    assert Association.objects.get(rna_id="W632007046").office_city == "Clermont-Ferrand"


def test_an_rna_import_row_without_w_number_is_kept_by_its_former_id(tmp_path):
    text = IMPORT_SAMPLE.read_text().replace(";W751085568;R;", ";;A;")
    path = tmp_path / "rna_import.csv"
    path.write_text(text)
    assert run(path).created == 3
    indigo = Association.objects.get(rna_former_id="751P00085568")
    assert indigo.rna_id is None and indigo.slug.endswith("751p00085568")
    again = run(path)
    assert (again.created, again.unchanged) == (0, 3)


def test_a_taken_over_row_never_overwrites_the_waldec_record(tmp_path):
    waldec = tmp_path / "waldec.csv"
    header = WALDEC_SAMPLE.read_text().splitlines()[0]
    line = WALDEC_SAMPLE.read_text().splitlines()[2].replace("W012000002", "W751085568").replace("2/08825", "")
    waldec.write_text(f"{header}\n{line}\n")
    run(waldec)
    result = run(IMPORT_SAMPLE)
    association = Association.objects.get(rna_id="W751085568")
    assert association.name == "ARIADNE"  # the newer waldec data stays
    assert association.rna_former_id == "751P00085568"  # only the former id was news
    assert (result.created, result.updated) == (2, 1)


def test_it_keeps_the_city_insee_codes_from_the_settings_by_default():
    CitySettings.objects.create(pk=1, insee_codes="91999")
    result = run(MESSY, scope=imports.import_scope_for_city())
    assert result.insee_codes == "91999"
    assert result.skipped == 1
    assert not Association.objects.filter(rna_id="W912280001").exists()


def test_it_filters_by_postcode_and_keeps_everything_with_all():
    by_postcode = run(MESSY, scope=ImportScope(postcodes=("91000",)))
    assert by_postcode.created == 1 and Association.objects.get().rna_id == "W912280001"
    everything = run(MESSY)
    assert everything.skipped == 0 and Association.objects.filter(rna_id="W919990001").exists()


def test_messy_lines_are_rejected_or_warned_with_their_line_numbers():
    result = run(MESSY, scope=CITY)
    assert entries(result, "rejected") == {5: "invalid_id", 6: "no_name", 7: "malformed", 8: "duplicate"}
    warnings = [(entry["line"], entry["code"]) for entry in result.report if entry["level"] == "warning"]
    assert warnings == [
        (3, "invalid_siret"),
        (4, "unknown_theme"),
        (11, "invalid_date"),
        (14, "invalid_choice"),
        (14, "invalid_website"),
    ]
    # 12 records on 13 lines (one object spans two lines); the blank last line is not a record.
    assert (result.lines_read, result.created, result.rejected, result.skipped) == (12, 7, 4, 1)
    lavoir = Association.objects.get(rna_id="W919990001")
    assert lavoir.name == "Les Amis du Lavoir"  # trimmed, inner spaces collapsed; the duplicate was not applied
    assert lavoir.object == 'Sauver le "vieux" lavoir ; organiser la fête'
    assert lavoir.office_street_number == "7" and lavoir.office_complement == ""
    assert lavoir.siret == "73282932000074"  # spaces stripped, valid
    assert lavoir.rna_updated_at.microsecond == 123456
    assert Association.objects.get(rna_id="W919990002").siret == ""  # invalid: dropped, line kept
    assert Association.objects.get(rna_id="W919990003").theme_1 == "099999"  # unknown: kept
    assert Association.objects.get(rna_id="W919990007").object == "Créer des spectacles\net les jouer"
    assert Association.objects.get(rna_id="W919990010").website == ""


def test_report_reasons_are_readable_sentences():
    result = run(MESSY, scope=CITY)
    reasons = {entry["line"]: imports.reason_text(entry) for entry in result.report if entry["level"] == "rejected"}
    assert "W91999003" in reasons[5]
    assert "39" in reasons[7] and "4" in reasons[7]


@pytest.mark.parametrize("name", ["waldec_iso8859_15.csv", "waldec_utf8_bom.csv"])
def test_it_detects_the_encoding(name):
    result = run(DATA / name)
    assert result.created == 3
    assert Association.objects.get(rna_id="W919990102").name == "Chœur et orchestre de l'Orge"
    assert Association.objects.get(rna_id="W919990101").object == "Fêtes, bals et brocantes à l'été ; goûters"


def test_it_reads_iso_8859_1():
    assert run(DATA / "waldec_iso8859_1.csv").created == 2
    assert Association.objects.get(rna_id="W919990101").name == "Comité des fêtes de Bellerive"


def test_encoding_detection_reads_the_whole_file_and_a_split_character():
    assert detect_encoding(io.BytesIO(b"\xef\xbb\xbfid;titre")) == "utf-8-sig"
    assert detect_encoding(io.BytesIO(b"id;titre\n" + "é".encode() * 600_000)) == "utf-8"  # é across chunk ends
    assert detect_encoding(io.BytesIO(b"id;titre\n" + b"a" * 2_000_000 + "é".encode("latin-1"))) == "iso-8859-15"


def test_running_the_same_file_again_reports_everything_unchanged():
    first = run(MESSY, scope=CITY)
    before = snapshot()
    second = run(MESSY, scope=CITY)
    assert (second.created, second.updated, second.unchanged) == (0, 0, first.created)
    assert snapshot() == before


def test_a_changed_line_updates_the_record_but_never_a_field_edited_in_tissu(tmp_path):
    run(MESSY, scope=CITY)
    judo = Association.objects.get(rna_id="W919990002")
    judo.name = "Judo Club Bellerive (nom choisi)"
    judo.keywords = "arts martiaux"
    judo.field_sources = {"name": {"source": "tissu", "by": None, "at": "2026-01-01T00:00:00+00:00"}}
    judo.save()
    changed = rewrite(tmp_path, "W919990002", titre="JUDO", objet="Judo et ju-jitsu")
    result = run(changed, scope=CITY)
    assert (result.updated, result.created) == (1, 0)
    judo.refresh_from_db()
    assert judo.name == "Judo Club Bellerive (nom choisi)"
    assert judo.object == "Judo et ju-jitsu"
    assert {"jitsu", "martial", "chois"} <= set(judo.search_text.split())  # object, keywords and the kept name
    assert judo.search_name == "judo club bellerive nom choisi"


def test_a_dissolution_is_applied_and_counted(tmp_path):
    run(MESSY, scope=CITY)
    result = run(rewrite(tmp_path, "W919990010", position="D", date_disso="2025-12-31"), scope=CITY)
    assert (result.dissolved, result.updated) == (1, 0)
    radio = Association.objects.get(rna_id="W919990010")
    assert radio.rna_position == RnaPosition.DISSOLVED and radio.dissolution_date == datetime.date(2025, 12, 31)
    removed = run(rewrite(tmp_path, "W919990003", position="S"), scope=CITY)
    assert removed.dissolved == 1
    assert Association.objects.get(rna_id="W919990003").rna_position == RnaPosition.REMOVED


def test_an_association_that_moved_away_is_still_updated(tmp_path):
    run(MESSY, scope=CITY)
    moved = rewrite(tmp_path, "W919990002", adrs_codeinsee="91228", adrs_codepostal="91000", adrs_libcommune="Évry")
    result = run(moved, scope=CITY)
    assert (result.updated, result.skipped) == (1, 1)
    assert Association.objects.get(rna_id="W919990002").office_insee_code == "91228"


def test_a_file_of_another_format_is_refused_and_changes_nothing():
    run(MESSY, scope=CITY)
    before = snapshot()
    result = run(DATA / "not_rna.csv")
    assert result.status == ImportStatus.FAILED
    assert "not_rna.csv" in result.error and "not an RNA extract" in result.error
    assert snapshot() == before


def test_an_empty_or_binary_file_is_refused(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    binary = tmp_path / "archive.csv"
    binary.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 10)
    result = run(empty, binary)
    assert result.status == ImportStatus.FAILED and len(result.error.splitlines()) == 2
    assert not Association.objects.exists()


def test_the_other_files_still_go_in_when_one_is_refused():
    result = run(DATA / "not_rna.csv", WALDEC_SAMPLE)
    assert result.status == ImportStatus.FAILED
    assert result.created == 3 and Association.objects.count() == 3


def test_a_crash_mid_file_leaves_the_directory_unchanged(monkeypatch):
    run(WALDEC_SAMPLE)
    before = snapshot()
    monkeypatch.setattr(imports, "BATCH_SIZE", 2)
    calls = []
    original = imports._FileImport.flush

    def failing_flush(self, batch):
        calls.append(len(batch))
        if len(calls) == 3:  # two batches already written, then the database goes away
            raise RuntimeError("connection lost")
        return original(self, batch)

    monkeypatch.setattr(imports._FileImport, "flush", failing_flush)
    with pytest.raises(RuntimeError):
        run(MESSY, scope=CITY)
    assert snapshot() == before
    failed = ImportRun.objects.latest("pk")
    assert failed.status == ImportStatus.FAILED and "connection lost" in failed.error
    assert failed.created == 0


def test_duplicates_are_found_across_batches(monkeypatch):
    monkeypatch.setattr(imports, "BATCH_SIZE", 2)
    result = run(MESSY, scope=CITY)
    assert entries(result, "rejected")[8] == "duplicate"
    assert Association.objects.get(rna_id="W919990001").name == "Les Amis du Lavoir"


def test_the_stored_report_is_capped(monkeypatch):
    monkeypatch.setattr(imports, "REPORT_LIMIT", 3)
    result = run(MESSY, scope=CITY)
    assert len(result.report) == 4
    note = result.report[-1]
    assert note["level"] == "note" and note["params"]["count"] == result.rejected + 5 - 3
    assert "3" in imports.reason_text(note)


def test_each_run_is_recorded_and_audited():
    result = run(MESSY, scope=CITY)
    stored = ImportRun.objects.get(pk=result.pk)
    assert stored.source == "command" and stored.file_names == "waldec_messy.csv"
    assert stored.finished_at and stored.bytes_read == stored.bytes_total == MESSY.stat().st_size
    entry = AuditEntry.objects.get(action="directory.import.finished")
    assert entry.target_id == str(result.pk)
    assert entry.data["created"] == 7 and entry.data["warnings"] == 5 and entry.data["status"] == "done"


def test_without_any_code_to_keep_the_run_fails_clearly():
    result = run(MESSY, scope=ImportScope())
    assert result.status == ImportStatus.FAILED and "INSEE" in result.error
    assert not Association.objects.exists()


def test_new_rows_get_fresh_primary_keys_after_deletions():
    run(WALDEC_SAMPLE)
    Association.objects.filter(rna_id="W632007046").delete()
    run(MESSY, scope=CITY)
    assert Association.objects.count() == 2 + 7


@pytest.mark.skipif(connection.vendor != "postgresql", reason="bulk mode is PostgreSQL only")
def test_a_large_first_load_rebuilds_the_indexes_it_dropped(monkeypatch):
    def index_definitions():
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'directory_association'")
            return sorted(row[0] for row in cursor.fetchall())

    before = index_definitions()
    monkeypatch.setattr(imports, "BULK_MIN_ROWS", 0)
    result = run(MESSY)
    assert result.created == 8
    assert index_definitions() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="bulk mode is PostgreSQL only")
def test_a_failed_bulk_load_brings_the_indexes_back(monkeypatch):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'directory_association'")
        before = cursor.fetchone()[0]
    monkeypatch.setattr(imports, "BULK_MIN_ROWS", 0)
    monkeypatch.setattr(imports._Writer, "restore_indexes", lambda self: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        run(MESSY)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'directory_association'")
        assert cursor.fetchone()[0] == before
    assert not Association.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="bulk mode is PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_a_large_first_load_is_vacuumed_once_committed(monkeypatch):
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(imports, "BULK_MIN_ROWS", 0)
    with CaptureQueriesContext(connection) as captured:
        result = run(MESSY)
    assert result.created == 8
    assert [query["sql"] for query in captured if query["sql"].startswith("VACUUM")] == [
        'VACUUM (ANALYZE) "directory_association"'
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="bulk mode is PostgreSQL only")
def test_inside_a_callers_transaction_the_load_is_left_to_autovacuum(monkeypatch):
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(imports, "BULK_MIN_ROWS", 0)
    with CaptureQueriesContext(connection) as captured:
        run(MESSY)
    assert not [query for query in captured if query["sql"].startswith("VACUUM")]


def test_backslashes_tabs_and_line_breaks_come_through_unchanged(tmp_path):
    # PostgreSQL's COPY lines are formatted by the import itself: its escaping must round-trip.
    path = rewrite(
        tmp_path,
        "W919990002",
        titre="Club \\N de judo \\ C:\\temp",
        objet="Ligne un\\n\tdeux\r\ntrois \\",
        adrs_complement="Bât.\\B",
    )
    run(path, scope=CITY)
    judo = Association.objects.get(rna_id="W919990002")
    assert judo.name == "Club \\N de judo \\ C:\\temp"
    assert judo.object == "Ligne un\\n\tdeux\r\ntrois \\"
    assert judo.office_complement == "Bât.\\B"
    assert judo.dissolution_date is None and judo.creation_date == datetime.date(2010, 5, 4)


def test_the_siret_check_agrees_with_python_stdnum():
    import random

    from stdnum.fr import siret

    rng = random.Random(2026)
    numbers = ["35600000000048", "73282932000074", "7328293200007", "73282932000O74", "７３２８２９３２０００７４"]
    for index in range(20_000):
        number = "".join(rng.choice("0123456789") for _ in range(14))
        numbers.append("356000000" + number[9:] if index % 3 == 0 else number)
    assert [imports.siret_is_valid(number) for number in numbers] == [siret.is_valid(number) for number in numbers]
