"""Demo city: the shared agenda of Bellerive-sur-Orge.

Runs after tissu.directory.demo_people (associations A and B, managed by the demo managers). Dates are
placed from the day of seeding, so that the agenda always has something to come: a forum of associations,
a training that is full with a waiting list, the two-day "Rencontres de la vie associative" with a
restricted registration path for territorial agents, the Fête du bénévolat, association events (weekly,
postponed, cancelled), an internal meeting and an event awaiting approval.

Idempotent: each event is found by its address (slug) and created only once; registrations are written
directly, without emails.
"""

import datetime

from django.utils import timezone

from tissu.agenda import services
from tissu.agenda.models import (
    Category,
    Event,
    Publication,
    Registration,
    RegistrationStatus,
    Schedule,
    SessionChoice,
    SessionFormat,
    Visibility,
)
from tissu.directory.models import MANAGER_ROLES, Audience, Membership, Neighbourhood

RENCONTRES_PROGRAMME = """\
**Coopérer avec les associations pour mieux agir dans les territoires : pourquoi et comment ?**

### Premier jour
- 13 h 00 – Accueil des participants et des participantes
- 13 h 45 – Brise-glace
- 14 h 00 – Débat mouvant
- 14 h 35 – Table ronde : un chercheur, une élue, deux agents et un dirigeant associatif
- 15 h 35 – Pause ressources : le forum des centres de ressources
- 16 h 05 – Ateliers tournants (× 3) et bibliothèques humaines (× 3)

### Second jour
- 8 h 45 – Accueil
- 9 h 30 – Reprise des ateliers tournants et des bibliothèques humaines
- 13 h 00 – La coopération en jeu : jeux sérieux (les rouages de la co-construction, la fresque des enjeux associatifs)
- 15 h 00 – Synthèse et prise de hauteur

Agents territoriaux : inscrivez-vous avec le code de session **46 SXRVA 002**.
"""


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _next(weekday: int, after: datetime.date, weeks: int = 0) -> datetime.date:
    """The first given weekday (0 = Monday) after a date, `weeks` weeks later."""
    days = (weekday - after.weekday()) % 7 or 7
    return after + datetime.timedelta(days=days + 7 * weeks)


# The demo town's places (fictional, around its centre), so that the agenda's map has something to show.
PLACES = {
    "12 rue des Écoles": ("48.701200", "2.331500"),
    "3 place de la Mairie": ("48.699800", "2.336400"),
    "Place de la Mairie": ("48.699600", "2.336900"),
    "1 avenue de la Gare": ("48.704100", "2.341800"),
    "8 rue du Moulin": ("48.695300", "2.329100"),
    "Allée des Tilleuls": ("48.702700", "2.325600"),
    "Place du Plateau": ("48.709400", "2.338200"),
    "Quai de l'Orge": ("48.696900", "2.343000"),
    "Rue des Acacias": ("48.693800", "2.334700"),
}


def _event(slug: str, *, association, actor, publication=Publication.PUBLISHED, audiences=(), **values) -> Event:
    event = Event.objects.filter(slug=slug).first()
    if event is not None:
        return event
    defaults = {"venue_name": "", "venue_address": "", **values}
    place = PLACES.get(defaults["venue_address"].split(",")[0])
    if place and not defaults.get("latitude"):
        defaults["latitude"], defaults["longitude"] = place
    event = services.event_create(actor=actor, association=association, values=defaults, audiences=audiences)
    Event.objects.filter(pk=event.pk).update(
        slug=slug, publication=publication, published_at=timezone.now() if publication == "published" else None
    )
    event.refresh_from_db()
    return event


def _category(event: Event, name: str, capacity: int, access_code: str = ""):
    existing = event.ticket_categories.filter(name=name).first()
    return existing or services.ticket_category_add(
        actor=None, event=event, name=name, capacity=capacity, access_code=access_code
    )


def _register(event: Event, category, user, status=RegistrationStatus.CONFIRMED, answers=None) -> None:
    Registration.objects.get_or_create(
        event=event, user=user, defaults={"category": category, "status": status, "answers": answers or {}}
    )


# (day 0 or 1, start, end, title, format, room, capacity): the programme of the Rencontres.
PROGRAMME = [
    (0, "13:45", "14:00", "Brise-glace", SessionFormat.OTHER, "Grande salle", None),
    (0, "14:00", "14:25", "Débat mouvant", SessionFormat.OTHER, "Grande salle", None),
    (0, "14:35", "15:35", "Table ronde : coopérer dans les territoires", SessionFormat.ROUND_TABLE, "Grande salle",
     None),
    (0, "16:05", "17:00", "Atelier tournant : la convention pluriannuelle d'objectifs", SessionFormat.ROTATING_WORKSHOP,
     "Salle A", 20),
    (0, "16:05", "17:00", "Atelier tournant : les appels à projets", SessionFormat.ROTATING_WORKSHOP, "Salle B", 20),
    (0, "16:05", "17:00", "Bibliothèque humaine : un conseil local de la vie associative", SessionFormat.HUMAN_LIBRARY,
     "Salle C", 12),
    (1, "09:30", "11:30", "Reprise des ateliers tournants", SessionFormat.ROTATING_WORKSHOP, "Salles A et B", 40),
    (1, "13:00", "15:00", "Jeu sérieux : les rouages de la co-construction", SessionFormat.SERIOUS_GAME, "Salle A", 15),
    (1, "13:00", "15:00", "Jeu sérieux : la fresque des enjeux associatifs", SessionFormat.SERIOUS_GAME, "Salle B", 15),
    (1, "15:00", "15:30", "Synthèse et prise de hauteur", SessionFormat.PLENARY, "Grande salle", None),
]  # fmt: skip


def _programme(event: Event, first_day: datetime.date, attendee) -> None:
    if event.sessions.exists():
        return
    for day, start, end, title, fmt, room, capacity in PROGRAMME:
        date = first_day + datetime.timedelta(days=day)
        services.session_add(
            actor=None,
            event=event,
            title=title,
            format=fmt,
            starts_at=_at(date, *map(int, start.split(":"))),
            ends_at=_at(date, *map(int, end.split(":"))),
            room=room,
            speakers="",
            description="",
            capacity=capacity,
        )
    registration = event.registrations.filter(user=attendee).first() if attendee else None
    if registration is not None:
        for session in event.sessions.filter(title__startswith="Atelier tournant : la convention"):
            SessionChoice.objects.get_or_create(session=session, registration=registration)


def _managed(user):
    membership = Membership.objects.filter(user=user, role__in=MANAGER_ROLES).select_related("association").first()
    return membership.association if membership else None


def seed(ctx) -> None:
    users = ctx.users
    staff = users.get("staff")
    association_a, association_b = _managed(users.get("manager_a")), _managed(users.get("manager_b"))
    categories = {category.slug: category for category in Category.objects.all()}
    neighbourhoods = {item.name: item for item in Neighbourhood.objects.all()}
    audiences = {item.name: item for item in Audience.objects.all()}
    today = timezone.localdate()
    centre = neighbourhoods.get("Centre-ville")

    saturday = _next(5, today, weeks=2)
    forum = _event(
        "forum-des-associations",
        association=None,
        actor=staff,
        title="Forum des associations",
        summary="Toutes les associations de Bellerive réunies pour la rentrée : démonstrations, rencontres.",
        description="Plus de 80 stands, des démonstrations toute la journée et un espace bénévolat.",
        category=categories.get("forum"),
        starts_at=_at(saturday, 10),
        ends_at=_at(saturday, 18),
        venue_name="Gymnase Jean-Moulin",
        venue_address="12 rue des Écoles, 91990 Bellerive-sur-Orge",
        neighbourhood=centre,
        latitude="48.701200",
        longitude="2.331500",
        step_free=True,
        hearing_loop=True,
        accessibility_details="Entrée de plain-pied rue des Écoles ; toilettes adaptées.",
        audiences=[audiences[name] for name in ("Tous publics", "Familles") if name in audiences],
    )

    training_day = _next(1, today, weeks=1)
    training = _event(
        "formation-tresorerie-associative",
        association=None,
        actor=staff,
        title="Formation : la trésorerie associative, les bases",
        summary="Budget, comptes annuels, subventions : une soirée pour les trésorières et trésoriers.",
        category=categories.get("formation"),
        starts_at=_at(training_day, 18, 30),
        ends_at=_at(training_day, 21),
        venue_name="Maison des associations, salle 2",
        venue_address="3 place de la Mairie, 91990 Bellerive-sur-Orge",
        neighbourhood=centre,
        step_free=True,
        registration_required=True,
        registration_closes_at=_at(training_day - datetime.timedelta(days=1), 12),
        offer_hours=24,
    )
    seats = _category(training, "Participant", 3)
    if not training.questions.exists():
        services.question_add(actor=staff, event=training, label="Votre association", required=True)
    question = training.questions.first()
    for name in ("volunteer", "manager_b", "committee"):
        if name in users:
            _register(training, seats, users[name], answers={str(question.pk): "Association de la démo"})
    if "elected" in users:
        _register(training, seats, users["elected"], status=RegistrationStatus.WAITING)

    monday = _next(0, today, weeks=5)
    rencontres = _event(
        "rencontres-de-la-vie-associative",
        association=None,
        actor=staff,
        title="Rencontres de la vie associative",
        summary="Deux jours pour coopérer entre collectivités et associations : table ronde, ateliers tournants, "
        "bibliothèques humaines et jeux sérieux.",
        description=RENCONTRES_PROGRAMME,
        category=categories.get("rencontre"),
        starts_at=_at(monday, 13),
        ends_at=_at(monday + datetime.timedelta(days=1), 15, 30),
        venue_name="Centre culturel de l'Orge",
        venue_address="1 avenue de la Gare, 91990 Bellerive-sur-Orge",
        neighbourhood=neighbourhoods.get("Bords d'Orge"),
        step_free=True,
        sign_language=True,
        registration_required=True,
        registration_closes_at=_at(monday - datetime.timedelta(days=10), 23, 59),
        consent_text="J'accepte que mon nom figure sur la liste des participants remise aux intervenants.",
    )
    agents = _category(rencontres, "Agent territorial", 40, access_code="46 SXRVA 002")
    others = _category(rencontres, "Autre participant", 60)
    if "staff" in users:
        _register(rencontres, agents, users["staff"])
    if "manager_a" in users:
        _register(rencontres, others, users["manager_a"])
    _programme(rencontres, monday, users.get("manager_a"))

    _event(
        "fete-du-benevolat",
        association=None,
        actor=staff,
        title="Fête du bénévolat",
        summary="La ville remercie ses bénévoles : remise des trophées, concert et buffet partagé.",
        category=categories.get("fete"),
        starts_at=_at(_next(4, today, weeks=8), 18),
        ends_at=_at(_next(4, today, weeks=8), 23),
        venue_name="Parc de la Roseraie",
        venue_address="Allée des Tilleuls, 91990 Bellerive-sur-Orge",
        neighbourhood=neighbourhoods.get("La Roseraie"),
        step_free=True,
        easy_read=True,
    )
    _event(
        "reunion-inter-associations-forum",
        association=None,
        actor=staff,
        title="Réunion inter-associations : préparer le forum",
        summary="Plan des stands, planning des démonstrations, bénévoles de l'accueil.",
        category=categories.get("rencontre"),
        visibility=Visibility.MEMBERS,
        starts_at=_at(saturday - datetime.timedelta(days=10), 19),
        ends_at=_at(saturday - datetime.timedelta(days=10), 21),
        attendance_mode="hybrid",
        online_url="https://visio.bellerive.example/forum",
        venue_name="Maison des associations",
        venue_address="3 place de la Mairie, 91990 Bellerive-sur-Orge",
    )

    if association_a is not None:
        first_wednesday = _next(2, today)
        _event(
            "atelier-reparation-velos",
            association=association_a,
            actor=users.get("manager_a"),
            title="Atelier réparation de vélos",
            summary="Chaque mercredi soir, apprenez à entretenir votre vélo avec les bénévoles.",
            category=categories.get("atelier"),
            starts_at=_at(first_wednesday, 18),
            ends_at=_at(first_wednesday, 20),
            recurrence="FREQ=WEEKLY;COUNT=12",
            exception_dates=[(first_wednesday + datetime.timedelta(weeks=3)).isoformat()],
            venue_name="Local associatif",
            venue_address="8 rue du Moulin, 91990 Bellerive-sur-Orge",
            neighbourhood=neighbourhoods.get("Les Coteaux"),
            is_free=False,
            price="Adhésion 10 € par an",
        )
        _event(
            "concert-solidaire",
            association=association_a,
            actor=users.get("manager_a"),
            title="Concert solidaire",
            summary="Au profit de l'épicerie solidaire.",
            category=categories.get("culture"),
            schedule=Schedule.POSTPONED,
            schedule_note="Reporté au printemps : la nouvelle date sera annoncée ici.",
            starts_at=_at(_next(5, today, weeks=3), 20),
            ends_at=_at(_next(5, today, weeks=3), 23),
            venue_name="Salle des fêtes",
            venue_address="Place de la Mairie, 91990 Bellerive-sur-Orge",
            is_free=False,
            price="5 €, gratuit pour les moins de 12 ans",
        )
        _event(
            "sortie-nature-bords-d-orge",
            association=association_a,
            actor=users.get("manager_a"),
            title="Sortie nature sur les bords d'Orge",
            category=categories.get("sport"),
            schedule=Schedule.CANCELLED,
            schedule_note="Annulée : crue de l'Orge.",
            starts_at=_at(_next(6, today, weeks=1), 9),
            ends_at=_at(_next(6, today, weeks=1), 12),
            venue_name="Parking du pont de l'Orge",
            venue_address="Quai de l'Orge, 91990 Bellerive-sur-Orge",
        )
    if association_b is not None:
        _event(
            "tournoi-petanque-intergenerationnel",
            association=association_b,
            actor=users.get("manager_b"),
            title="Tournoi de pétanque intergénérationnel",
            category=categories.get("sport"),
            starts_at=_at(_next(6, today, weeks=2), 14),
            ends_at=_at(_next(6, today, weeks=2), 18),
            venue_name="Boulodrome du Plateau",
            venue_address="Rue des Acacias, 91990 Bellerive-sur-Orge",
            neighbourhood=neighbourhoods.get("Le Plateau"),
            step_free=True,
            audiences=[audiences[name] for name in ("Seniors", "Familles") if name in audiences],
        )
        _event(
            "vide-grenier-du-plateau",
            association=association_b,
            actor=users.get("manager_b"),
            publication=Publication.PENDING,
            title="Vide-grenier du Plateau",
            category=categories.get("fete"),
            starts_at=_at(_next(6, today, weeks=6), 8),
            ends_at=_at(_next(6, today, weeks=6), 17),
            venue_name="Place du Plateau",
            venue_address="Place du Plateau, 91990 Bellerive-sur-Orge",
            is_free=True,
        )
    ctx.objects["events"] = {"forum": forum, "training": training, "rencontres": rencontres}
