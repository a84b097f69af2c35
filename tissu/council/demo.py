"""Demo city: a council of associations configured like Malakoff's CLVA (three colleges: culture, memory and
heritage 4 + 4; solidarity, citizenship, environment 4 + 4; sports and leisure 1 + 1), the election of the
current bureau counted with its results, the next election in its candidacy period, two years of plenaries
and bureau meetings with minutes and actions, two working groups (women's rights, peace) and the city's
consultations of the bureau.

Runs after tissu.directory.demo_people. Idempotent: everything is found by name or title. The past election is
written directly (participations, ballots, choices in one go, then the ordinary count), since its voting
period is in the past; the ballots are generated with the demo's seeded random generator.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from tissu.council import selectors, services
from tissu.council.models import (
    ActionItem,
    Attendance,
    Ballot,
    BallotChoice,
    Candidacy,
    College,
    CollegeOverride,
    CollegeTheme,
    Consultation,
    Election,
    GroupMessage,
    Meeting,
    MeetingItem,
    MinutesStatus,
    Participation,
    RollEntry,
    VotingRepresentative,
    WorkingGroup,
    WorkingGroupMember,
)
from tissu.directory.models import Theme

COLLEGES = [
    # name, seats, substitute seats, theme families
    ("Culture, mémoire et patrimoine", 4, 4, ["006000", "010000", "038000", "009000", "005000"]),
    ("Solidarité, citoyenneté, environnement", 4, 4,
     ["001000", "002000", "003000", "004000", "014000", "015000", "016000", "017000", "018000", "019000", "020000",
      "021000", "022000", "023000", "024000", "030000", "032000", "036000", "040000", "050000"]),
    ("Sports et loisirs", 1, 1, ["007000", "011000", "013000", "034000"]),
]  # fmt: skip
RULES = """Le conseil local de la vie associative (CLVA) réunit **toutes les associations** de la ville.

- Une association = une voix : chaque association désigne la personne qui vote en son nom.
- Le bureau est élu pour deux ans, dans trois collèges ; chaque bulletin nomme au plus autant
  d'associations que le collège a de sièges, ou il est blanc.
- Une assemblée plénière par an, avec une personne invitée ; un bureau environ tous les deux mois, dont les
  associations fixent l'ordre du jour.
- Les comptes-rendus, approuvés par le bureau, sont envoyés à toutes les associations et publiés ici.
"""
PAST_TITLE = "Élection du bureau du CLVA 2025-2027"
NEXT_TITLE = "Élection du bureau du CLVA 2027-2029"
PEOPLE = [
    "Fatou Diallo", "Jean Dupuis", "Marie-Claire Lenoir", "Karim Bensaïd", "Sophie Garnier", "Hugo Petit",
    "Aïcha Traoré", "Pierre Lambert", "Camille Roux", "Youssef Amrani", "Élise Fontaine", "Marc Olivier",
    "Nathalie Chevalier", "Bruno Da Silva", "Inès Moreau", "Louis Bernard", "Chantal Perrin", "Samuel Cohen",
    "Agnès Henry", "Rachid Ziani",
]  # fmt: skip
BUREAU_TOPICS = [
    (
        "Rencontre avec le service communication",
        "Délais, choix éditoriaux : vers un mode d'emploi pour les associations.",
    ),
    ("Forum des associations de septembre", "Répartition des stands et animation de la scène."),
    ("Petits-déjeuners associatifs", "Un rendez-vous mensuel pour se rencontrer entre associations."),
    ("Plateforme numérique", "Rubriques de l'espace des associations et formation du bureau."),
    ("Commission d'attribution des salles", "Place du CLVA dans la commission."),
    ("Programme de formations associatives", "Comptabilité, recherche de bénévoles, demandes de subvention."),
]


def _colleges() -> list[College]:
    colleges = []
    for position, (name, seats, substitutes, families) in enumerate(COLLEGES):
        college, _ = College.objects.get_or_create(
            name=name, defaults={"seats": seats, "substitute_seats": substitutes, "position": position}
        )
        for theme in Theme.objects.filter(code__in=families):
            if not CollegeTheme.objects.filter(theme=theme).exists():
                CollegeTheme.objects.create(college=college, theme=theme)
        colleges.append(college)
    return colleges


def _roll(election: Election, published_at) -> list[RollEntry]:
    if not election.roll.exists():
        placement = selectors.Placement()
        RollEntry.objects.bulk_create(
            [
                RollEntry(election=election, association=association, college_id=placement.college_id(association))
                for association in selectors.eligible_associations()
                if placement.college_id(association)
            ]
        )
        Election.objects.filter(pk=election.pk).update(roll_published_at=published_at)
        election.refresh_from_db()
    return list(election.roll.select_related("association", "college"))


def _past_election(ctx, colleges, today) -> Election:
    now = timezone.now()
    start = now - datetime.timedelta(days=760)
    election, _ = Election.objects.get_or_create(
        title=PAST_TITLE,
        defaults={
            "candidacy_opens_at": start,
            "candidacy_closes_at": start + datetime.timedelta(days=28),
            "voting_opens_at": start + datetime.timedelta(days=42),
            "voting_closes_at": start + datetime.timedelta(days=56),
            "mandate_starts_on": today - datetime.timedelta(days=690),
            "mandate_ends_on": today + datetime.timedelta(days=40),
            "tie_break": "draw",
            "tie_break_seed": "clva-2025-tirage-public",
        },
    )
    if election.counted_at:
        return election
    rng = ctx.rng
    entries = _roll(election, start + datetime.timedelta(days=35))
    by_college: dict[int, list] = {}
    for entry in entries:
        by_college.setdefault(entry.college_id, []).append(entry)
    people = iter(PEOPLE)
    association_a = ctx.objects.get("association_a")
    candidacies: dict[int, list[Candidacy]] = {}
    for college in colleges:
        pool = [e.association for e in by_college.get(college.pk, [])]
        count = min(len(pool), college.seats * 2 + 1)
        chosen = rng.sample(pool, count)
        if association_a in pool and association_a not in chosen:
            chosen[0] = association_a
        for association in chosen:
            is_a = association_a is not None and association.pk == association_a.pk
            candidacies.setdefault(college.pk, []).append(
                Candidacy.objects.create(
                    election=election,
                    association=association,
                    college=college,
                    representative=ctx.users["manager_a"] if is_a else None,
                    representative_name=ctx.users["manager_a"].full_name if is_a else next(people, "Dominique Martin"),
                    statement=rng.choice(
                        [
                            "Faire entendre la voix des petites associations auprès de la ville.",
                            "Mutualiser le matériel et les salles entre associations.",
                            "Accueillir les nouvelles associations et les accompagner.",
                            "Faire vivre le forum de rentrée et les grands événements.",
                        ]
                    ),
                    submitted_at=start + datetime.timedelta(days=rng.randrange(1, 27)),
                )
            )
    with transaction.atomic():
        for entry in entries:
            if rng.random() > 0.58:
                continue  # abstains
            Participation.objects.create(election=election, association=entry.association)
            names = candidacies.get(entry.college_id, [])
            ballot = Ballot.objects.create(
                election=election, college=entry.college, is_blank=rng.random() < 0.05 or not names
            )
            if not ballot.is_blank:
                weights = [len(names) - index for index in range(len(names))]
                picked = set()
                for _ in range(rng.randint(1, entry.college.seats)):
                    picked.add(rng.choices(names, weights=weights)[0].pk)
                BallotChoice.objects.bulk_create([BallotChoice(ballot=ballot, candidacy_id=cid) for cid in picked])
        services._tally(election)
        Election.objects.filter(pk=election.pk).update(
            counted_at=election.voting_closes_at + datetime.timedelta(hours=2), counted_by=ctx.users["staff"]
        )
    election.refresh_from_db()
    return election


def _next_election(ctx, today) -> Election:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    election, _ = Election.objects.get_or_create(
        title=NEXT_TITLE,
        defaults={
            "candidacy_opens_at": now - datetime.timedelta(days=6),
            "candidacy_closes_at": now + datetime.timedelta(days=20),
            "voting_opens_at": now + datetime.timedelta(days=28),
            "voting_closes_at": now + datetime.timedelta(days=35),
            "mandate_starts_on": today + datetime.timedelta(days=41),
            "mandate_ends_on": today + datetime.timedelta(days=41 + 730),
            "tie_break": "oldest",
        },
    )
    association_b = ctx.objects.get("association_b")
    if association_b is not None and selectors.college_of(association_b) and selectors.is_eligible(association_b):
        Candidacy.objects.get_or_create(
            election=election,
            association=association_b,
            defaults={
                "college": selectors.college_of(association_b),
                "representative": ctx.users["manager_b"],
                "representative_name": ctx.users["manager_b"].full_name,
                "statement": "Nous voulons porter au bureau la question des locaux partagés.",
            },
        )
    return election


def _meetings(ctx, bureau_results) -> None:
    rng = ctx.rng
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    start = now - datetime.timedelta(days=680)
    elected = [row.candidacy for row in bureau_results if row.outcome == "titular"]
    previous = None
    for number in range(13):
        when = (start + datetime.timedelta(days=number * 58)).replace(hour=18, minute=30)
        plenary = number in (3, 9)
        title = f"Assemblée plénière {when.year}" if plenary else f"Bureau du CLVA – {when.strftime('%d/%m/%Y')}"
        meeting, created = Meeting.objects.get_or_create(
            title=title,
            defaults={
                "kind": "plenary" if plenary else "bureau",
                "starts_at": when,
                "place": "Maison de la vie associative, salle du conseil",
                "invited_speaker": "Une chercheuse du Mouvement associatif, sur la gouvernance" if plenary else "",
                "convened_at": when - datetime.timedelta(days=15),
            },
        )
        if not created:
            previous = meeting
            continue
        topic, detail = BUREAU_TOPICS[number % len(BUREAU_TOPICS)]
        MeetingItem.objects.create(meeting=meeting, title="Suivi des actions", status="accepted", position=1)
        MeetingItem.objects.create(
            meeting=meeting,
            title=topic,
            description=detail,
            status="accepted",
            position=2,
            proposed_by=elected[number % len(elected)].association if elected else None,
        )
        if when < now:
            for candidacy in elected:
                status = rng.choices(["present", "excused", "represented"], weights=[7, 2, 1])[0]
                Attendance.objects.create(
                    meeting=meeting,
                    association=candidacy.association,
                    user=candidacy.representative,
                    person_name=candidacy.representative_name,
                    status=status,
                    represented_by="un membre du bureau de l'association" if status == "represented" else "",
                )
            meeting.minutes = (
                f"## {topic}\n\n{detail}\n\n"
                "**Décisions** : le bureau retient la proposition et fixe la date de la prochaine réunion.\n"
            )
            meeting.minutes_status = MinutesStatus.PUBLISHED
            meeting.minutes_approved_at = when + datetime.timedelta(days=10)
            meeting.minutes_published_at = when + datetime.timedelta(days=12)
            meeting.save(update_fields=["minutes", "minutes_status", "minutes_approved_at", "minutes_published_at"])
            ActionItem.objects.create(
                meeting=meeting,
                title=f"{topic} : préparer une note pour la prochaine réunion",
                owner=elected[number % len(elected)].representative_name if elected else "Service vie associative",
                due_on=(when + datetime.timedelta(days=45)).date(),
                # The last actions are still open: they are followed at the next meeting.
                done_at=when + datetime.timedelta(days=40) if number < 10 else None,
            )
        previous = meeting
    # The next bureau meeting, with an item proposed by association B waiting for the bureau.
    upcoming, created = Meeting.objects.get_or_create(
        title="Bureau du CLVA – prochaine réunion",
        defaults={
            "kind": "bureau",
            "starts_at": (now + datetime.timedelta(days=12)).replace(hour=18, minute=30),
            "place": "Maison de la vie associative, salle du conseil",
        },
    )
    association_b = ctx.objects.get("association_b")
    if created and association_b is not None:
        MeetingItem.objects.create(
            meeting=upcoming,
            title="Locaux partagés pour le stockage du matériel",
            description="Plusieurs associations cherchent un lieu de stockage commun.",
            proposed_by=association_b,
        )
    assert previous is not None


def _groups(ctx) -> None:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for name, description, members, message in [
        ("Droits des femmes", "Commission thématique créée par le premier bureau : journée du 8 mars, "
         "accueil des femmes dans les associations.", ["manager_a", "volunteer"],
         "Pour le 8 mars, je propose une table ronde avec les associations sportives."),
        ("Paix", "Commission thématique : semaine de la paix, mémoire et éducation à la paix.",
         ["manager_a", "manager_b"], "La marche pour la paix pourrait partir du parc municipal."),
    ]:  # fmt: skip
        group, created = WorkingGroup.objects.get_or_create(name=name, defaults={"description": description})
        if not created:
            continue
        for key in members:
            WorkingGroupMember.objects.create(group=group, user=ctx.users[key], is_lead=key == members[0])
        GroupMessage.objects.create(
            group=group, author=ctx.users[members[0]], body=message, created_at=now - datetime.timedelta(days=3)
        )
        Meeting.objects.create(
            kind="group",
            working_group=group,
            title=f"Groupe {name} – réunion de travail",
            starts_at=now + datetime.timedelta(days=9, hours=2),
            place="Maison de la vie associative, salle 2",
        )


def _consultations(ctx) -> None:
    now = timezone.now()
    for title, question, level, answer, published in [
        ("Commission d'attribution des subventions",
         "La ville souhaite l'avis du bureau sur les critères de la campagne de subventions.", "consultation",
         "Le bureau demande que les petites associations sans salarié·e aient un accompagnement au dossier.", True),
        ("Création d'une lettre d'information",
         "Construisons ensemble la lettre d'information des associations : rythme, rubriques, contributions.",
         "concertation",
         "Une lettre mensuelle, avec une rubrique « l'association du mois » tenue par le bureau.", True),
        ("Programme de formations associatives 2027",
         "Quels thèmes de formation proposer l'an prochain ?", "concertation", "", False),
    ]:  # fmt: skip
        Consultation.objects.get_or_create(
            title=title,
            defaults={
                "question": question,
                "level": level,
                "answer": answer,
                "asked_by": ctx.users["elected"],
                "asked_at": now - datetime.timedelta(days=90 if published else 5),
                "answer_due_on": (now + datetime.timedelta(days=-60 if published else 25)).date(),
                "answered_at": now - datetime.timedelta(days=70) if answer else None,
                "published_at": now - datetime.timedelta(days=65) if published else None,
            },
        )


def seed(ctx) -> None:
    today = timezone.localdate()
    council = selectors.council_settings()
    if not council.rules:
        council.name = "Conseil local de la vie associative de Bellerive-sur-Orge"
        council.rules = RULES
        council.save(update_fields=["name", "rules", "updated_at"])
    colleges = _colleges()
    association_a = ctx.objects.get("association_a")
    if association_a is not None and selectors.college_of(association_a) is None:
        CollegeOverride.objects.get_or_create(
            association=association_a, defaults={"college": colleges[1], "reason": "Association de quartier"}
        )
    for key in ("association_a", "association_b"):
        association = ctx.objects.get(key)
        user = ctx.users["manager_a" if key == "association_a" else "manager_b"]
        if association is not None:
            VotingRepresentative.objects.get_or_create(
                association=association, defaults={"user": user, "designated_by": user}
            )
    past = _past_election(ctx, colleges, today)
    _next_election(ctx, today)
    _meetings(ctx, selectors.bureau(past))
    _groups(ctx)
    _consultations(ctx)
