"""The demo city's people: two persona managers, a pending claim, an open invitation, a declared association."""

import pytest

from tissu.accounts import demo as accounts_demo
from tissu.directory import demo_people
from tissu.directory.models import Association, Claim, Invitation, Membership, Origin
from tissu.lib.demo import DemoContext

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_associations(make_association):
    # Stand-ins for the demo import (tissu.directory.demo): active associations of INSEE 91999, by name.
    names = ["Amicale des locataires", "Bellerive Judo", "Chorale de l'Orge", "Danse en Seine"]
    return [make_association(name, rna_id=f"W91300{index:04d}") for index, name in enumerate(names)]


def seed():
    ctx = DemoContext()
    accounts_demo.seed(ctx)
    demo_people.seed(ctx)
    return ctx


def snapshot():
    return {
        "memberships": sorted(
            Membership.objects.values_list("user__email", "association__name", "role", "is_representative")
        ),
        "claims": sorted(Claim.objects.values_list("user__email", "association__name", "role", "status")),
        "invitations": sorted(Invitation.objects.values_list("association__name", "email", "role")),
        "declared": sorted(Association.objects.filter(origin=Origin.DECLARED).values_list("name", "verified_at")),
        "field_sources": sorted(Association.objects.exclude(field_sources={}).values_list("name", "field_sources")),
    }


def test_it_gives_the_personas_their_associations_and_some_work_for_the_office(demo_associations):
    ctx = seed()
    first, second, third, _ = demo_associations
    assert ctx.objects["association_a"] == first
    assert Membership.objects.get(user=ctx.users["manager_a"]).association == first
    assert Membership.objects.get(user=ctx.users["manager_a"]).is_representative
    assert Membership.objects.get(user=ctx.users["manager_b"], association=second).role == "treasurer"
    assert Claim.objects.get(user=ctx.users["volunteer"]).association == third
    assert Invitation.objects.get().association == first
    declared = Association.objects.get(origin=Origin.DECLARED)
    assert not declared.is_verified
    assert declared.rna_id is None
    assert Claim.objects.get(association=declared).status == "pending"
    first.refresh_from_db()
    assert first.neighbourhood is not None and first.audiences.count() == 2
    assert first.field_sources["presentation"]["by"] == ctx.users["manager_a"].pk


def test_seeding_twice_changes_nothing(demo_associations):
    seed()
    first = snapshot()
    seed()
    assert snapshot() == first


def test_without_demo_associations_it_only_fills_the_lists(db):
    seed()
    assert not Membership.objects.exists()
    assert not Claim.objects.exists()
