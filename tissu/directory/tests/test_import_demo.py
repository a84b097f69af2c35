"""The demo city's associations: generated RNA file, real import, city fields; seeded and idempotent."""

import pytest
from django.core.management import call_command

from tissu.audit.models import AuditEntry
from tissu.directory import rna_fake
from tissu.directory.models import Association, Audience, ImportRun, Neighbourhood, PriorityArea

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "associations": list(
            Association.objects.order_by("pk").values_list(
                "pk", "rna_id", "name", "rna_hash", "neighbourhood__name", "qpv__code", "accepts_volunteers",
                "verified_at", "latitude", "longitude", "updated_at",
            )
        ),
        "audiences": sorted(Association.audiences.through.objects.values_list("association_id", "audience_id")),
        "runs": ImportRun.objects.count(),
        "audit": AuditEntry.objects.filter(action__startswith="directory.import").count(),
    }  # fmt: skip


def test_the_demo_associations_come_through_the_real_import():
    call_command("seed_demo")
    run = ImportRun.objects.get()
    assert run.status == "done" and run.insee_codes == "91999"
    assert run.created == 120 and run.skipped > 200
    city = Association.objects.filter(office_insee_code="91999", origin="rna")
    assert city.count() == 120
    assert city.filter(rna_position="D").exists()  # a share dissolved
    assert city.filter(verified_at__isnull=False).exists() and city.filter(accepts_volunteers=True).exists()
    assert city.filter(qpv__isnull=False).exists() and city.filter(audiences__isnull=False).exists()
    assert not city.filter(neighbourhood__isnull=True).exists()
    assert all(abs(float(a.latitude) - 48.70) < 0.02 for a in city)
    assert Neighbourhood.objects.count() == 5 and PriorityArea.objects.count() == 2 and Audience.objects.exists()


def test_seeding_the_demo_twice_changes_nothing():
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")
    assert snapshot() == first


def test_the_fake_register_is_reproducible_and_messy(tmp_path):
    first = rna_fake.write_waldec(tmp_path / "a.csv", count=2000, department="91", seed=7)
    second = rna_fake.write_waldec(tmp_path / "b.csv", count=2000, department="91", seed=7)
    assert first.read_bytes() == second.read_bytes()
    text = first.read_text()
    assert text.splitlines()[0].split(";") == rna_fake.WALDEC_HEADER
    assert ";0001-01-01;" in text and ";_;" in text and '""' in text
    assert any(line.count(";") > 38 for line in text.splitlines())  # ';' inside quoted objects
    assert rna_fake.write_waldec(tmp_path / "c.csv", count=50, department="91", seed=8).read_bytes() != b""
