import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_user
from tissu.accounts.models import StaffRole
from tissu.accounts.services import user_delete, user_set_roles
from tissu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

PEOPLE = reverse("accounts:people")


def roles_url(user):
    return reverse("accounts:person-roles", args=[user.public_id])


def role_names(user):
    return set(user.groups.values_list("name", flat=True))


def test_the_migration_creates_one_group_per_city_role(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(StaffRole.values)


class TestPeopleList:
    def test_it_lists_people_with_their_roles(self, client_for, staff, committee, volunteer):
        make_user("unconfirmed@example.org", "Una Unconfirmed", verified=False)

        page = client_for(staff).get(PEOPLE).content.decode()

        for person in ("Vera Volunteer", "Charlie Committee", "Una Unconfirmed"):
            assert person in page
        assert "<td>Committee member</td>" in page  # the role's label, not its code
        assert "unconfirmed" in page

    def test_it_leaves_out_deleted_accounts(self, client_for, staff, volunteer):
        user_delete(user=volunteer)
        page = client_for(staff).get(PEOPLE).content.decode()
        assert "@invalid.tissu" not in page

    def test_it_searches_by_name_or_email_and_filters_by_role(self, client_for, staff, committee, elected):
        client = client_for(staff)

        by_name = client.get(PEOPLE, {"q": "charlie"}).context["page"].object_list
        assert [person.email for person in by_name] == ["charlie@example.org"]
        by_email = client.get(PEOPLE, {"q": "EVE@"}).context["page"].object_list
        assert [person.email for person in by_email] == ["eve@example.org"]
        by_role = client.get(PEOPLE, {"role": StaffRole.ELECTED_OFFICIAL}).context["page"].object_list
        assert [person.email for person in by_role] == ["eve@example.org"]

    def test_the_number_of_queries_does_not_grow_with_the_number_of_people(self, client_for, staff):
        client = client_for(staff)
        committee = Group.objects.get(name=StaffRole.COMMITTEE_MEMBER)

        def add_people(start, stop):
            for number in range(start, stop):
                person = make_user(f"person{number}@example.org", f"Person {number}")
                if number % 2:
                    person.groups.add(committee)

        def count_queries():
            with CaptureQueriesContext(connection) as queries:
                response = client.get(PEOPLE)
            assert response.status_code == 200
            return len(queries), len(response.context["page"].object_list)

        client.get(PEOPLE)  # the city's settings are cached on the first page of all
        add_people(0, 5)
        few = count_queries()
        add_people(5, 50)
        many = count_queries()

        assert few[1] < many[1] == 50
        assert many[0] == few[0]


class TestRoles:
    def test_staff_grant_and_revoke_roles_and_it_is_logged(self, client_for, staff, volunteer):
        client = client_for(staff)

        response = client.post(
            roles_url(volunteer), {"roles": [StaffRole.COMMITTEE_MEMBER, StaffRole.ELECTED_OFFICIAL]}
        )

        assert response.status_code == 302
        assert response["Location"] == PEOPLE
        assert role_names(volunteer) == {"committee_member", "elected_official"}
        granted = AuditEntry.objects.get(action="accounts.user.roles_changed")
        assert granted.actor == staff
        assert granted.target_id == str(volunteer.pk)
        assert granted.data == {"added": ["committee_member", "elected_official"], "removed": []}

        client.post(roles_url(volunteer), {"roles": [StaffRole.ELECTED_OFFICIAL]})

        assert role_names(volunteer) == {"elected_official"}
        revoked = AuditEntry.objects.filter(action="accounts.user.roles_changed").first()
        assert revoked.data == {"added": [], "removed": ["committee_member"]}

    def test_the_form_shows_the_current_roles(self, client_for, staff, committee):
        form = client_for(staff).get(roles_url(committee)).context["form"]
        assert form.initial["roles"] == ["committee_member"]

    def test_saving_the_same_roles_logs_nothing(self, client_for, staff, committee):
        client_for(staff).post(roles_url(committee), {"roles": [StaffRole.COMMITTEE_MEMBER]})
        assert not AuditEntry.objects.filter(action="accounts.user.roles_changed").exists()

    def test_staff_cannot_remove_their_own_associations_office_role(self, client_for, staff):
        response = client_for(staff).post(roles_url(staff), {"roles": [StaffRole.COMMITTEE_MEMBER]})

        assert response.status_code == 400
        assert "You cannot remove your own associations office role." in response.content.decode()
        assert role_names(staff) == {"associations_office"}
        assert not AuditEntry.objects.filter(action="accounts.user.roles_changed").exists()

    def test_staff_may_remove_the_role_of_a_colleague(self, client_for, staff):
        colleague = make_user("colleague@example.org", roles=[StaffRole.ASSOCIATIONS_OFFICE])

        client_for(staff).post(roles_url(colleague), {"roles": []})

        assert role_names(colleague) == set()

    def test_names_that_are_not_city_roles_are_ignored(self, staff, volunteer):
        Group.objects.create(name="admins")

        user_set_roles(actor=staff, user=volunteer, roles=["admins", "superuser", StaffRole.COMMITTEE_MEMBER])

        assert role_names(volunteer) == {"committee_member"}
        assert AuditEntry.objects.get(action="accounts.user.roles_changed").data["added"] == ["committee_member"]

    def test_other_groups_of_the_person_are_left_alone(self, staff, volunteer):
        volunteer.groups.add(Group.objects.create(name="newsletter"))

        user_set_roles(actor=staff, user=volunteer, roles=[StaffRole.ELECTED_OFFICIAL])
        user_set_roles(actor=staff, user=volunteer, roles=[])

        assert role_names(volunteer) == {"newsletter"}

    def test_the_page_refuses_an_unknown_role(self, client_for, staff, volunteer):
        response = client_for(staff).post(roles_url(volunteer), {"roles": ["superuser"]})

        assert response.status_code == 400
        assert role_names(volunteer) == set()

    def test_the_service_refuses_self_demotion_too(self, staff):
        with pytest.raises(ValidationError):
            user_set_roles(actor=staff, user=staff, roles=[])
        assert role_names(staff) == {"associations_office"}

    def test_a_deleted_account_has_no_roles_page(self, client_for, staff, volunteer):
        user_delete(user=volunteer)
        assert client_for(staff).get(roles_url(volunteer)).status_code == 404
