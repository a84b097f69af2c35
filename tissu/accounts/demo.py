from django.contrib.auth.models import Group
from django.utils import timezone

from tissu.accounts.models import StaffRole, User
from tissu.lib.demo import DEMO_PASSWORD

# persona key → (email, full name, roles, superuser, description shown by `make run`)
PERSONAS = {
    "superuser": ("admin@bellerive.example", "Alex Admin", [], True, "administrateur technique"),
    "staff": (
        "agent@bellerive.example",
        "Samira Benali",
        [StaffRole.ASSOCIATIONS_OFFICE],
        False,
        "service vie associative",
    ),
    "committee": (
        "commission@bellerive.example",
        "Paul Girard",
        [StaffRole.COMMITTEE_MEMBER],
        False,
        "membre de commission",
    ),
    "elected": (
        "elue@bellerive.example",
        "Claire Morel",
        [StaffRole.ELECTED_OFFICIAL],
        False,
        "élue à la vie associative",
    ),
    "manager_a": ("presidente.a@bellerive.example", "Nadia Haddad", [], False, "présidente d'une association"),
    "manager_b": ("tresorier.b@bellerive.example", "Thomas Leroy", [], False, "trésorier d'une autre association"),
    "volunteer": ("benevole@bellerive.example", "Léa Martin", [], False, "bénévole, habitante"),
}


def seed(ctx) -> None:
    groups = {group.name: group for group in Group.objects.all()}
    for key, (email, full_name, roles, superuser, description) in PERSONAS.items():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(
                email=email,
                full_name=full_name,
                email_verified_at=timezone.now(),
                is_superuser=superuser,
                is_staff=superuser,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(*[groups[role.value] for role in roles])
        ctx.users[key] = user
        ctx.logins.append((key, email, description))
