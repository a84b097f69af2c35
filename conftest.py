"""Fixtures shared by every test: personas, the authorisation-matrix helpers, email and query checks."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import timezone

from tissu.accounts.models import StaffRole, User

PASSWORD = "correct-horse-battery"

# persona → (email, full name, city roles, superuser)
PERSONA_SPECS = {
    "volunteer": ("volunteer@example.org", "Vera Volunteer", [], False),
    "manager_a": ("alice@example.org", "Alice Manager", [], False),
    "manager_b": ("bob@example.org", "Bob Manager", [], False),
    "committee": ("charlie@example.org", "Charlie Committee", [StaffRole.COMMITTEE_MEMBER], False),
    "elected": ("eve@example.org", "Eve Elected", [StaffRole.ELECTED_OFFICIAL], False),
    "staff": ("sam@example.org", "Sam Staff", [StaffRole.ASSOCIATIONS_OFFICE], False),
    "superuser": ("root@example.org", "Root Admin", [], True),
}
PERSONAS = ["anonymous", *PERSONA_SPECS]


def make_user(email: str, full_name: str = "Test Person", roles=(), superuser: bool = False, verified: bool = True):
    user = User.objects.create_user(
        email=email,
        password=PASSWORD,
        full_name=full_name,
        is_superuser=superuser,
        is_staff=superuser,
        email_verified_at=timezone.now() if verified else None,
    )
    if roles:
        user.groups.add(*Group.objects.filter(name__in=[role.value for role in roles]))
    return user


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def personas(db):
    """Every signed-in persona as a User; the anonymous visitor is None."""
    users = {
        name: make_user(email, full_name, roles, superuser)
        for name, (email, full_name, roles, superuser) in PERSONA_SPECS.items()
    }
    users["anonymous"] = None
    # The directory's personas: manager_a is président·e and representative of association A,
    # manager_b treasurer of association B (looked up by slug: ASSOCIATION_A_SLUG, ASSOCIATION_B_SLUG).
    from tissu.directory.models import Membership, MembershipRole

    association_a = create_association("Association A", slug=ASSOCIATION_A_SLUG, rna_id="W912000001")
    association_b = create_association("Association B", slug=ASSOCIATION_B_SLUG, rna_id="W912000002")
    Membership.objects.create(
        user=users["manager_a"], association=association_a, role=MembershipRole.PRESIDENT, is_representative=True
    )
    Membership.objects.create(user=users["manager_b"], association=association_b, role=MembershipRole.TREASURER)
    return users


ASSOCIATION_A_SLUG = "association-a"
ASSOCIATION_B_SLUG = "association-b"


def create_association(name: str, **fields):
    """An association with its derived fields (theme families, search text) filled as the services would."""
    from tissu.directory.models import Association
    from tissu.directory.services import association_derived_fields, unique_slug

    fields.setdefault("office_insee_code", "91999")
    fields.setdefault("office_city", "Bellerive-sur-Orge")
    values = {"name": name, **fields}
    values.update(association_derived_fields(values))
    values.setdefault("slug", unique_slug(name, fields.get("rna_id")))
    return Association.objects.create(**values)


@pytest.fixture
def make_association(db):
    """make_association("Club de judo", theme_1="011000", …) → a saved Association."""
    return create_association


@pytest.fixture
def association_a(personas):
    from tissu.directory.models import Association

    return Association.objects.get(slug=ASSOCIATION_A_SLUG)


@pytest.fixture
def association_b(personas):
    from tissu.directory.models import Association

    return Association.objects.get(slug=ASSOCIATION_B_SLUG)


def _persona_fixture(name):
    @pytest.fixture
    def fixture(personas):
        return personas[name]

    fixture.__name__ = name
    return fixture


volunteer = _persona_fixture("volunteer")
manager_a = _persona_fixture("manager_a")
manager_b = _persona_fixture("manager_b")
committee = _persona_fixture("committee")
elected = _persona_fixture("elected")
staff = _persona_fixture("staff")
superuser = _persona_fixture("superuser")


@pytest.fixture
def outsider(client):
    """An anonymous visitor's client."""
    return client


@pytest.fixture
def client_for(client):
    """client_for(user) → the test client signed in as that user (or anonymous for None)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in
