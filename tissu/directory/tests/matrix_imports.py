"""The RNA import in the back office: the associations office only."""

from tests.matrix import OFFICE_ONLY, Row


def _finished_run(personas):
    from tissu.directory.models import ImportRun

    # get_or_create: tests/test_templates.py runs every row's setup in one database.
    run, _ = ImportRun.objects.get_or_create(
        file_names="rna_waldec_20260101_91.csv",
        defaults={
            "source": "upload",
            "status": "done",
            "insee_codes": "91999",
            "lines_read": 3,
            "created": 1,
            "rejected": 1,
            "report": [
                {"file": "rna_waldec_20260101_91.csv", "line": 3, "id": "X1", "level": "rejected",
                 "code": "invalid_id", "params": {"value": "X1"}},
                {"file": "rna_waldec_20260101_91.csv", "line": 2, "id": "W912000001", "level": "warning",
                 "code": "invalid_siret", "params": {"value": "123"}},
            ],
        },
    )  # fmt: skip
    return {"args": [run.pk]}


ROWS = [
    Row("directory:import-list", OFFICE_ONLY),
    Row("directory:import-detail", OFFICE_ONLY, setup=_finished_run),
    Row("directory:import-report", OFFICE_ONLY, setup=_finished_run, browse=False),
]
