"""The RNA import in the back office: upload, background run, progress, report."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tissu.audit.models import AuditEntry
from tissu.city.models import CitySettings
from tissu.directory.imports import import_run_execute_queued
from tissu.directory.models import Association, ImportRun, ImportStatus

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
LIST_URL = reverse("directory:import-list")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(name: str = "waldec_messy.csv", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else (DATA / name).read_bytes(), "text/csv")


def post_file(client, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(LIST_URL, {"file": upload(), "insee_codes": "91999", "postcodes": "", **data})


def test_staff_upload_a_file_and_the_import_runs_in_the_background(
    staff, client_for, django_capture_on_commit_callbacks
):
    response = post_file(client_for(staff), django_capture_on_commit_callbacks)
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("directory:import-detail", args=[run.pk])
    assert (run.source, run.status, run.started_by, run.file_names) == ("upload", "done", staff, "waldec_messy.csv")
    assert (run.created, run.rejected, run.skipped) == (7, 4, 1)
    assert Association.objects.filter(rna_id="W919990001").exists()
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "directory.import.queued",
        "directory.import.finished",
    }


def test_the_form_offers_the_city_codes(staff, client_for):
    CitySettings.objects.create(pk=1, insee_codes="91999, 91228")
    response = client_for(staff).get(LIST_URL)
    assert 'value="91999, 91228"' in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"insee_codes": "9199"}, "9199"),
        ({"insee_codes": "", "postcodes": ""}, "at least one INSEE code"),
        ({"postcodes": "ABCDE"}, "ABCDE"),
    ],
)
def test_a_form_with_errors_is_answered_with_400(staff, client_for, settings, data, message):
    settings.LANGUAGE_CODE = "en"
    response = client_for(staff).post(
        LIST_URL, {"file": upload(), "insee_codes": "91999", **data}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_file_is_required_and_must_be_a_csv(staff, client_for):
    client = client_for(staff)
    assert client.post(LIST_URL, {"insee_codes": "91999"}).status_code == 400
    assert client.post(LIST_URL, {"file": upload("rna.zip", b"PK\x03\x04"), "insee_codes": "91999"}).status_code == 400
    assert not ImportRun.objects.exists()


def test_a_file_of_another_format_ends_as_a_failed_run(staff, client_for, django_capture_on_commit_callbacks):
    client = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(LIST_URL, {"file": upload("not_rna.csv"), "import_all": "on"})
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED
    page = client.get(reverse("directory:import-detail", args=[run.pk])).content.decode()
    assert "not_rna.csv" in page and "message-error" in page
    assert not Association.objects.exclude(slug__in=["association-a", "association-b"]).exists()


def test_a_running_import_shows_its_progress_and_polls_every_two_seconds(staff, client_for):
    run = ImportRun.objects.create(source="upload", status="running", bytes_total=200, bytes_read=50, lines_read=1234)
    url = reverse("directory:import-detail", args=[run.pk])
    page = client_for(staff).get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert '<progress id="import-progress" max="100" value="25">' in page
    assert f'href="{url}"' in page  # the reload link, for browsers without JavaScript
    partial = client_for(staff).get(url, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and 'id="import-status"' in partial.content.decode()
    assert partial["Vary"] and "HX-Request" in partial["Vary"]


def test_a_finished_import_stops_polling_and_shows_its_summary_and_report(
    staff, client_for, django_capture_on_commit_callbacks
):
    post_file(client_for(staff), django_capture_on_commit_callbacks)
    run = ImportRun.objects.get()
    page = client_for(staff).get(reverse("directory:import-detail", args=[run.pk])).content.decode()
    assert "hx-trigger" not in page
    assert "W91999003" in page and reverse("directory:import-report", args=[run.pk]) in page


def test_the_report_downloads_as_csv(staff, client_for, django_capture_on_commit_callbacks):
    post_file(client_for(staff), django_capture_on_commit_callbacks)
    run = ImportRun.objects.get()
    response = client_for(staff).get(reverse("directory:import-report", args=[run.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert len(lines) == 1 + 4 + 5  # header, rejected lines, warnings
    assert lines[1].startswith("waldec_messy.csv;3;W919990002;")


def test_the_list_of_runs_costs_the_same_queries_whatever_its_length(staff, client_for):
    client = client_for(staff)
    ImportRun.objects.create(source="upload", started_by=staff, file_names="a.csv")
    client.get(LIST_URL)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST_URL)
    ImportRun.objects.bulk_create(
        ImportRun(source="upload", started_by=staff, file_names=f"{number}.csv") for number in range(20)
    )
    with CaptureQueriesContext(connection) as many:
        client.get(LIST_URL)
    assert len(many) == len(one)


def test_a_queued_run_is_executed_once():
    run = ImportRun.objects.create(source="upload", status="done")
    assert import_run_execute_queued(run_id=run.pk) is None
