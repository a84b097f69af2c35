"""Demo city: volunteering missions of the demo associations in every state, volunteers and their applications.

Runs after tissu.directory.demo_people (associations A and B and their managers). Rows are written directly,
without services, so that seeding sends no email; each is keyed (mission by association and title,
application by mission and volunteer), so a second run creates nothing. Dates are relative to the day of
the first seeding: the open missions stay open for months.
"""

import datetime

from django.utils import timezone
from django.utils.text import slugify

from tissu.accounts.models import User
from tissu.directory import search
from tissu.directory.models import Association, Neighbourhood, RnaPosition, Theme
from tissu.lib.demo import DEMO_PASSWORD
from tissu.volunteering.models import (
    Application,
    ApplicationMessage,
    Invitation,
    Mission,
    MissionSlot,
    SavedSearch,
    Skill,
    VolunteerHours,
    VolunteerProfile,
)

SKILLS = [
    "Accueil du public", "Animation", "Bricolage", "Comptabilité", "Communication", "Cuisine", "Informatique",
    "Logistique", "Soutien scolaire", "Traduction", "Secourisme", "Gestion de projet",
]  # fmt: skip

# (key, title, type, status, skills, cause family, extra fields)
MISSIONS_A = [
    ("homework", "Aide aux devoirs des collégiens", "recurring", "published", ["Soutien scolaire"], "015000",
     {"rhythm": "Le mercredi de 14 h à 16 h", "schedule": "wed-afternoon", "commitment_hours": 2, "places": 4,
      "publics": "students minors", "motivation_required": True}),
    ("collection", "Collecte de la banque alimentaire", "one_off", "published", ["Logistique", "Accueil du public"],
     "007000", {"places": 10, "publics": "students minors reinsertion community_service"}),
    ("treasurer", "Trésorier·e de l'association", "board", "published", ["Comptabilité"], "017000",
     {"board_role": "treasurer", "rhythm": "Un bureau par mois, le jeudi soir", "schedule": "thu-evening",
      "commitment_hours": 4, "commitment_period": "month", "places": 1}),
    ("party", "Fête du bénévolat : tenir un stand", "one_off", "full", ["Animation"], "006000", {"places": 1}),
    ("newsletter", "Rédaction de la lettre d'information", "recurring", "draft", ["Communication"], "006000",
     {"is_remote": True, "rhythm": "Une fois par mois", "commitment_hours": 3, "commitment_period": "month"}),
    ("workshop", "Atelier informatique pour les seniors", "recurring", "pending_review", ["Informatique"], "007000",
     {"rhythm": "Le mardi matin", "schedule": "tue-morning", "commitment_hours": 2, "publics": "students"}),
    ("summer", "Animation du centre de loisirs d'été", "recurring", "closed", ["Animation"], "015000", {}),
    ("forum", "Forum des associations 2025", "one_off", "expired", ["Accueil du public"], "006000", {}),
]  # fmt: skip
MISSIONS_B = [
    ("translation", "Traduction de documents d'accueil", "recurring", "published", ["Traduction"], "007000",
     {"is_remote": True, "rhythm": "À votre rythme", "commitment_hours": 2, "publics": "exiles students"}),
    ("kitchen", "Cuisine du repas solidaire", "recurring", "published", ["Cuisine"], "007000",
     {"rhythm": "Le samedi midi", "schedule": "sat-morning", "commitment_hours": 3, "places": 3,
      "publics": "reinsertion community_service disabilities"}),
    ("secretary", "Secrétaire du bureau", "board", "published", ["Gestion de projet"], "017000",
     {"board_role": "secretary", "schedule": "mon-evening", "rhythm": "Le lundi soir"}),
]  # fmt: skip
VOLUNTEERS = [
    ("karim.benali@bellerive.example", "Karim Benali", ["Logistique", "Bricolage"], ["007000"],
     "sat-morning sun-morning"),
    ("sofia.rossi@bellerive.example", "Sofia Rossi", ["Traduction", "Communication"], ["006000"],
     "mon-evening wed-evening"),
    ("jules.bernard@bellerive.example", "Jules Bernard", ["Soutien scolaire", "Informatique"], ["015000"],
     "wed-afternoon"),
]  # fmt: skip


def _skills() -> dict[str, Skill]:
    return {name: Skill.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0] for name in SKILLS}


def _mission(association, spec, skills, neighbourhoods, rng, today, creator) -> Mission:
    key, title, mission_type, status, skill_names, cause, extra = spec
    existing = Mission.objects.filter(association=association, title=title).first()
    if existing is not None:
        return existing
    fields = dict(extra)
    if not fields.get("is_remote"):
        fields.setdefault("address", "Maison des associations, 2 place de la Mairie")
        fields.setdefault("neighbourhood", rng.choice(neighbourhoods) if neighbourhoods else None)
    if status == "expired":
        fields["ends_on"] = today - datetime.timedelta(days=30)
    elif mission_type != "one_off":
        fields.setdefault("ends_on", today + datetime.timedelta(days=365))
    description = {
        "homework": "Accompagner des collégiens dans leurs devoirs, en petits groupes, à la maison de quartier.",
        "treasurer": "Notre trésorier part après dix ans : tenir les comptes, préparer le budget et le bilan.",
    }.get(key, f"{title}. Nous vous accueillons et vous formons : aucune expérience n'est demandée.")
    now = timezone.now()
    mission = Mission.objects.create(
        association=association,
        title=title,
        description=description,
        mission_type=mission_type,
        status=status,
        created_by=creator,
        published_at=None
        if status in ("draft", "pending_review")
        else now - datetime.timedelta(days=rng.randrange(3, 40)),
        search_text=search.search_text(title, description, " ".join(skill_names), association.name),
        **fields,
    )
    mission.skills.set([skills[name] for name in skill_names])
    mission.causes.set(Theme.objects.filter(code=cause))
    if mission_type == "one_off":
        first = today + datetime.timedelta(days=14) if status != "expired" else today - datetime.timedelta(days=45)
        for offset in (0, 1):
            day = first + datetime.timedelta(days=offset)
            start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
            MissionSlot.objects.create(mission=mission, starts_at=start, ends_at=start + datetime.timedelta(hours=3))
        last = first + datetime.timedelta(days=1)
        Mission.objects.filter(pk=mission.pk).update(starts_on=first, ends_on=last)
    return mission


def _volunteer(email: str, full_name: str) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, full_name=full_name, email_verified_at=timezone.now())
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _profile(user, skills, skill_names, families, availability, neighbourhood, **fields) -> VolunteerProfile:
    profile, created = VolunteerProfile.objects.get_or_create(
        user=user, defaults={"availability": availability, "neighbourhood": neighbourhood, **fields}
    )
    if created:
        profile.skills.set([skills[name] for name in skill_names])
        profile.interests.set(Theme.objects.filter(code__in=families))
    return profile


def _application(mission, volunteer, status, *, days_ago=5, **fields) -> Application:
    application = Application.objects.filter(mission=mission, volunteer=volunteer).first()
    if application is not None:
        return application
    application = Application.objects.create(mission=mission, volunteer=volunteer, status=status, **fields)
    created = timezone.now() - datetime.timedelta(days=days_ago)
    answered = created + datetime.timedelta(days=2) if status not in ("new", "waitlisted") else None
    Application.objects.filter(pk=application.pk).update(
        created_at=created, responded_at=answered, status_changed_at=answered
    )
    return application


def seed(ctx) -> None:
    association_a = ctx.objects.get("association_a")
    association_b = ctx.objects.get("association_b")
    if association_a is None or association_b is None:
        return  # No demo associations: nothing to post missions for.
    rng = ctx.rng
    today = timezone.localdate()
    skills = _skills()
    neighbourhoods = list(Neighbourhood.objects.order_by("name"))
    manager_a, manager_b = ctx.users["manager_a"], ctx.users["manager_b"]
    missions = {
        spec[0]: _mission(association_a, spec, skills, neighbourhoods, rng, today, manager_a) for spec in MISSIONS_A
    }
    missions |= {
        spec[0]: _mission(association_b, spec, skills, neighbourhoods, rng, today, manager_b) for spec in MISSIONS_B
    }
    # A few other associations looking for volunteers post one mission each.
    others = (
        Association.objects.filter(accepts_volunteers=True, rna_position=RnaPosition.ACTIVE, publish_on_web=True)
        .exclude(pk__in=[association_a.pk, association_b.pk])
        .order_by("search_name", "pk")[:6]
    )
    other_skills = ["Accueil du public", "Bricolage", "Animation", "Secourisme", "Communication", "Logistique"]
    for association, skill_name in zip(others, other_skills, strict=False):
        spec = (
            "other", f"Renfort bénévole : {skill_name.lower()}", "recurring", "published", [skill_name], "006000",
            {"rhythm": "Deux samedis par mois", "schedule": "sat-morning sat-afternoon", "commitment_hours": 4,
             "commitment_period": "month"},
        )  # fmt: skip
        _mission(association, spec, skills, neighbourhoods, rng, today, None)

    lea = ctx.users["volunteer"]
    neighbourhood = neighbourhoods[0] if neighbourhoods else None
    _profile(
        lea,
        skills,
        ["Accueil du public", "Cuisine", "Soutien scolaire"],
        ["007000", "015000"],
        "wed-afternoon sat-morning sat-afternoon",
        neighbourhood,
        languages="français, anglais",
        phone="06 12 34 56 78",
        presentation="Infirmière à mi-temps, j'aime transmettre et cuisiner.",
        contact_opt_in=True,
    )
    others_volunteers = []
    for email, full_name, skill_names, families, availability in VOLUNTEERS:
        user = _volunteer(email, full_name)
        neighbourhood = rng.choice(neighbourhoods) if neighbourhoods else None
        _profile(
            user, skills, skill_names, families, availability, neighbourhood, contact_opt_in=True, languages="français"
        )
        others_volunteers.append(user)
    karim, sofia, jules = others_volunteers

    # Applications in every state.
    collection = missions["collection"]
    _application(missions["homework"], lea, "new", days_ago=9, message="J'ai aidé mes neveux pendant des années.")
    discussing = _application(missions["kitchen"], lea, "discussing", message="Je cuisine pour huit chaque dimanche !")
    if not discussing.messages.exists():
        ApplicationMessage.objects.create(
            application=discussing,
            author=manager_b,
            from_association=True,
            body="Merci ! Pouvez-vous venir samedi pour un essai ?",
        )
        ApplicationMessage.objects.create(application=discussing, author=lea, body="Avec plaisir, à samedi.")
    accepted = _application(collection, lea, "accepted", slot=collection.slots.first(), days_ago=20)
    if not accepted.hours.exists():
        VolunteerHours.objects.create(application=accepted, day=today - datetime.timedelta(days=10), hours=3,
                                      note="Tri des denrées", status="confirmed", decided_by=manager_a,
                                      decided_at=timezone.now())  # fmt: skip
        VolunteerHours.objects.create(
            application=accepted, day=today - datetime.timedelta(days=3), hours=2, note="Accueil"
        )
    _application(missions["treasurer"], karim, "declined", decline_reason="profile", days_ago=15)
    _application(missions["translation"], sofia, "withdrawn", days_ago=12)
    _application(missions["party"], jules, "accepted", slot=missions["party"].slots.first(), days_ago=18)
    _application(missions["party"], karim, "waitlisted", slot=missions["party"].slots.first(), days_ago=4)
    _application(missions["summer"], jules, "cancelled", days_ago=60)
    _application(missions["translation"], jules, "new", days_ago=1, message="Je parle anglais et espagnol.")
    SavedSearch.objects.get_or_create(user=lea, query="skill=cuisine", defaults={"notified_until": timezone.now()})
    # The demo volunteer is invited to the treasurer's role (she has not applied to it): "My applications" shows it.
    Invitation.objects.get_or_create(
        mission=missions["treasurer"],
        volunteer=lea,
        defaults={
            "invited_by": missions["treasurer"].created_by,
            "message": "Votre profil mentionne la comptabilité : notre bureau serait ravi de vous accueillir.",
        },
    )
    ctx.objects["missions"] = missions
