"""The members page: remove, change roles, designate the one representative; the last manager stays."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_user
from tests.concurrency import run_together
from tissu.audit.models import AuditEntry
from tissu.directory import claims
from tissu.directory.models import Invitation, Membership
from tissu.directory.tests.claims_helpers import audit_actions, media_root, messages_of  # noqa: F401

pytestmark = pytest.mark.django_db


def members_url(association):
    return reverse("directory:members", args=[association.slug])


def action_url(name, membership):
    return reverse(f"directory:{name}", args=[membership.association.slug, membership.pk])


@pytest.fixture
def treasurer(association_a):
    user = make_user("tom@example.org", "Tom Treasurer")
    return Membership.objects.create(user=user, association=association_a, role="treasurer")


@pytest.fixture
def member(association_a):
    user = make_user("mia@example.org", "Mia Member")
    return Membership.objects.create(user=user, association=association_a, role="member")


def own_membership(user, association):
    return Membership.objects.get(user=user, association=association)


class TestMembersPage:
    def test_it_lists_members_and_open_invitations(self, client_for, manager_a, association_a, member):
        claims.invitation_create(actor=manager_a, association=association_a, email="new@example.org", role="member")
        response = client_for(manager_a).get(members_url(association_a))
        page = response.content.decode()
        assert response.status_code == 200
        assert [m.user.full_name for m in response.context["memberships"]] == ["Alice Manager", "Mia Member"]
        assert "new@example.org" in page
        assert "Representative" in page

    def test_the_number_of_queries_does_not_grow_with_the_members(self, client_for, manager_a, association_a):
        client = client_for(manager_a)

        def add_members(start, stop):
            for index in range(start, stop):
                user = make_user(f"member{index}@example.org", f"Member {index}")
                Membership.objects.create(user=user, association=association_a, role="member")
                Invitation.objects.create(
                    association=association_a, email=f"invited{index}@example.org", role="member", invited_by=user
                )

        add_members(0, 2)
        client.get(members_url(association_a))  # warm up (session, city settings cache)
        with CaptureQueriesContext(connection) as few:
            assert client.get(members_url(association_a)).status_code == 200
        add_members(2, 29)
        with CaptureQueriesContext(connection) as many:
            response = client.get(members_url(association_a))
        assert len(response.context["memberships"]) == 30
        assert len(many) == len(few)


class TestRemove:
    def test_a_manager_removes_a_member(self, client_for, manager_a, member, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(manager_a).post(action_url("membership-remove", member))
        assert response.status_code == 302
        assert response["Location"] == members_url(member.association)
        assert not Membership.objects.filter(pk=member.pk).exists()
        assert "Mia Member was removed from the association." in messages_of(response)
        entry = AuditEntry.objects.get(action="directory.membership.removed")
        assert entry.data == {"user": str(member.user.public_id), "role": "member", "was_representative": False}

    def test_the_last_manager_cannot_be_removed_by_a_manager(self, client_for, manager_a, association_a, member):
        mine = own_membership(manager_a, association_a)
        response = client_for(manager_a).post(action_url("membership-remove", mine))
        assert response.status_code == 302
        assert Membership.objects.filter(pk=mine.pk).exists()
        assert any("You are the association's last manager: you cannot leave it." in m for m in messages_of(response))
        assert audit_actions() == []

    def test_a_manager_may_leave_when_another_manager_remains(self, client_for, manager_a, association_a, treasurer):
        response = client_for(manager_a).post(action_url("membership-remove", own_membership(manager_a, association_a)))
        assert response["Location"] == reverse("directory:my-associations")
        assert "You left Association A." in messages_of(response)
        # The representative left: nobody represents the association until managers designate someone.
        assert not association_a.memberships.filter(is_representative=True).exists()

    def test_managers_cannot_remove_the_last_other_manager_either(self, manager_a, association_a, member):
        mine = own_membership(manager_a, association_a)
        with pytest.raises(ValidationError, match="last manager"):
            claims.membership_remove(actor=member.user, membership=mine)

    def test_the_office_may_remove_the_last_manager(self, client_for, staff, manager_a, association_a):
        mine = own_membership(manager_a, association_a)
        response = client_for(staff).post(action_url("membership-remove", mine))
        assert response["Location"] == members_url(association_a)
        assert not association_a.memberships.exists()

    def test_a_membership_of_another_association_is_a_404(self, client_for, manager_b, association_b, member):
        url = reverse("directory:membership-remove", args=[association_b.slug, member.pk])
        assert client_for(manager_b).post(url).status_code == 404
        assert Membership.objects.filter(pk=member.pk).exists()

    def test_a_plain_member_cannot_remove_anyone(self, client_for, member, treasurer):
        response = client_for(member.user).post(action_url("membership-remove", treasurer))
        assert response.status_code == 403
        assert Membership.objects.filter(pk=treasurer.pk).exists()

    def test_a_failing_email_leaves_the_member_in_place(self, manager_a, member, monkeypatch):
        def broken(**kwargs):
            raise RuntimeError("template error")

        monkeypatch.setattr("tissu.directory.emails.send_member_removed", broken)
        with pytest.raises(RuntimeError):
            claims.membership_remove(actor=manager_a, membership=member)
        assert Membership.objects.filter(pk=member.pk).exists()
        assert audit_actions() == []


class TestRole:
    def test_a_manager_changes_a_role(self, client_for, manager_a, member):
        response = client_for(manager_a).post(action_url("membership-role", member), {"role": "secretary"})
        assert response.status_code == 302
        member.refresh_from_db()
        assert member.role == "secretary"
        entry = AuditEntry.objects.get(action="directory.membership.role_changed")
        assert entry.data == {"user": str(member.user.public_id), "from": "member", "to": "secretary"}

    def test_the_last_manager_cannot_demote_themselves(self, client_for, manager_a, association_a, member):
        mine = own_membership(manager_a, association_a)
        response = client_for(manager_a).post(action_url("membership-role", mine), {"role": "member"})
        assert response.status_code == 302
        mine.refresh_from_db()
        assert mine.role == "president"
        assert any("last manager" in text for text in messages_of(response))

    def test_a_manager_may_switch_between_managing_roles(self, client_for, manager_a, association_a):
        mine = own_membership(manager_a, association_a)
        client_for(manager_a).post(action_url("membership-role", mine), {"role": "treasurer"})
        mine.refresh_from_db()
        assert mine.role == "treasurer"

    def test_stepping_down_with_another_manager_sends_to_my_associations(
        self, client_for, manager_a, association_a, treasurer
    ):
        mine = own_membership(manager_a, association_a)
        response = client_for(manager_a).post(action_url("membership-role", mine), {"role": "member"})
        assert response["Location"] == reverse("directory:my-associations")
        mine.refresh_from_db()
        assert mine.role == "member"

    def test_an_unknown_role_is_refused(self, client_for, manager_a, member):
        response = client_for(manager_a).post(action_url("membership-role", member), {"role": "king"})
        assert "Choose a role from the list." in messages_of(response)
        member.refresh_from_db()
        assert member.role == "member"


class TestRepresentative:
    def test_designating_moves_the_one_representative(self, client_for, manager_a, association_a, member):
        response = client_for(manager_a).post(action_url("representative-designate", member))
        assert response.status_code == 302
        assert list(association_a.memberships.filter(is_representative=True)) == [member]
        entry = AuditEntry.objects.get(action="directory.membership.representative_designated")
        assert entry.data == {
            "user": str(member.user.public_id),
            "previous": str(manager_a.public_id),
        }

    def test_the_database_refuses_two_representatives(self, association_a, member):
        member.is_representative = True
        with pytest.raises(IntegrityError):
            member.save(update_fields=["is_representative"])

    def test_designating_the_representative_again_changes_nothing(self, manager_a, association_a):
        claims.representative_designate(actor=manager_a, membership=own_membership(manager_a, association_a))
        assert audit_actions() == []


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
class TestConcurrency:
    """Two requests at once, on PostgreSQL where they truly run in parallel."""

    def test_two_managers_removing_each_other_leave_one(self, manager_a, association_a, treasurer):
        mine = own_membership(manager_a, association_a)
        errors, _results = run_together(
            lambda: claims.membership_remove(actor=manager_a, membership=treasurer),
            lambda: claims.membership_remove(actor=treasurer.user, membership=mine),
        )
        assert len(errors) == 1
        assert association_a.memberships.count() == 1

    def test_two_designations_at_once_leave_exactly_one_representative(
        self, manager_a, association_a, member, treasurer
    ):
        errors, _results = run_together(
            lambda: claims.representative_designate(actor=manager_a, membership=member),
            lambda: claims.representative_designate(actor=manager_a, membership=treasurer),
        )
        assert errors == []
        assert association_a.memberships.filter(is_representative=True).count() == 1
