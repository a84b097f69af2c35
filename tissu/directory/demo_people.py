"""Demo city: who manages which association, and work waiting for the associations office.

Runs after tissu.directory.demo (the demo associations of INSEE 91999, imported from a generated RNA
file). Picks associations A, B and C by name order among the active ones, so the choice is the same
on every run; every step is idempotent (get_or_create), and sends no email.
"""

from decimal import Decimal

from django.utils.text import slugify

from tissu.directory.models import (
    Association,
    Audience,
    Claim,
    Invitation,
    Membership,
    MembershipRole,
    Neighbourhood,
    Origin,
    PriorityArea,
    RnaPosition,
)
from tissu.directory.profile import association_update_profile
from tissu.directory.services import association_derived_fields, unique_slug

DEMO_INSEE = "91999"
NEIGHBOURHOODS = ["Centre-ville", "La Roseraie", "Les Coteaux", "Bords d'Orge", "Le Plateau"]
PRIORITY_AREAS = [("QN09199M", "La Roseraie – Les Tilleuls")]
AUDIENCES = [
    "Enfants", "Jeunes (12–25 ans)", "Familles", "Seniors", "Personnes en situation de handicap",
    "Personnes en précarité", "Personnes exilées", "Tous publics",
]  # fmt: skip
INVITEE_EMAIL = "camille.petit@bellerive.example"
DECLARED_NAME = "Collectif des jardins partagés de la Roseraie"


def _slugged(model, name: str):
    entry, _ = model.objects.get_or_create(name=name, defaults={"slug": slugify(name)})
    return entry


def seed_taxonomies() -> dict:
    return {
        "neighbourhoods": [_slugged(Neighbourhood, name) for name in NEIGHBOURHOODS],
        "qpvs": [
            PriorityArea.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in PRIORITY_AREAS
        ],
        "audiences": [_slugged(Audience, name) for name in AUDIENCES],
    }


def pick_associations() -> list[Association]:
    """The first three active associations of the demo commune imported from the register, by name."""
    return list(
        Association.objects.filter(
            office_insee_code=DEMO_INSEE, origin=Origin.RNA, rna_position=RnaPosition.ACTIVE
        ).order_by("search_name", "slug")[:3]
    )


def _membership(user, association, role, *, representative=False) -> Membership:
    membership, _ = Membership.objects.get_or_create(
        user=user, association=association, defaults={"role": role, "is_representative": representative}
    )
    return membership


def seed(ctx) -> None:
    users = ctx.users
    lists = seed_taxonomies()
    picked = pick_associations()
    if len(picked) < 3:
        return  # No demo associations imported (the import step found no file): nothing to attach people to.
    association_a, association_b, association_c = picked
    ctx.objects.update(association_a=association_a, association_b=association_b)

    _membership(users["manager_a"], association_a, MembershipRole.PRESIDENT, representative=True)
    _membership(users["manager_b"], association_b, MembershipRole.TREASURER)
    association_update_profile(
        actor=users["manager_a"],
        association=association_a,
        values={
            "neighbourhood": lists["neighbourhoods"][1],
            "qpv": lists["qpvs"][0],
            "audiences": [lists["audiences"][1], lists["audiences"][2]],
            "accepts_volunteers": True,
            "is_employer": True,
            "employee_fte": Decimal("1.50"),
            "member_count": 142,
            "volunteer_count": 23,
            "public_email": "contact@association-a.bellerive.example",
            "opening_hours": "Mardi et jeudi, 17 h – 20 h ; samedi, 10 h – 12 h",
            "presentation": (
                "Nous accueillons les habitantes et habitants de **tous âges** autour d'activités régulières.\n\n"
                "- permanences deux fois par semaine ;\n- sorties et ateliers pendant les vacances ;\n"
                "- un repas partagé chaque trimestre.\n\nVenez nous rencontrer !"
            ),
            "premises_accessibility": "accessible",
        },
    )
    association_update_profile(
        actor=users["manager_b"],
        association=association_b,
        values={"neighbourhood": lists["neighbourhoods"][0], "audiences": [lists["audiences"][7]]},
    )

    # Work waiting for the associations office.
    if not Claim.objects.filter(user=users["volunteer"], association=association_c).exists():
        Claim.objects.create(
            user=users["volunteer"],
            association=association_c,
            role=MembershipRole.VOLUNTEER_REFERENT,
            message="Je coordonne les bénévoles de l'association depuis deux ans ; la présidente peut le confirmer.",
        )
    if not Invitation.objects.filter(association=association_a, email=INVITEE_EMAIL).exists():
        Invitation.objects.create(
            association=association_a, email=INVITEE_EMAIL, role=MembershipRole.SECRETARY, invited_by=users["manager_a"]
        )
    declared = Association.objects.filter(origin=Origin.DECLARED, name=DECLARED_NAME).first()
    if declared is None:
        values = {
            "name": DECLARED_NAME,
            "short_name": "Jardins de la Roseraie",
            "object": "Créer et animer des jardins partagés dans le quartier de la Roseraie ; "
            "transmettre les savoir-faire du jardinage écologique.",
            "theme_1": "007070",
            "theme_2": "024050",
            "office_street_number": "4",
            "office_street_name": "allée des Tilleuls",
            "office_postcode": "91990",
            "office_city": "Bellerive-sur-Orge",
            "office_insee_code": DEMO_INSEE,
        }
        declared = Association.objects.create(
            origin=Origin.DECLARED,
            slug=unique_slug(DECLARED_NAME),
            **values,
            **association_derived_fields(values),
        )
    if not Claim.objects.filter(association=declared).exists():
        Claim.objects.create(
            user=users["manager_b"],
            association=declared,
            role=MembershipRole.PRESIDENT,
            message="Association créée en mars, en attente de son numéro RNA.",
        )
    ctx.objects["declared_association"] = declared
