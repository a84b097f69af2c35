"""Volunteering's rows of the authorisation matrix.

manager_a manages association A, which owns the missions here; the volunteer persona applies. Applications
carry personal data: only their volunteer and the association's managers see them (404 for everyone else,
the associations office included).
"""

from conftest import ASSOCIATION_A_SLUG
from tests.matrix import LOGIN, OFFICE_ONLY, PUBLIC, SIGNED_IN_ONLY, Row, expect

MANAGERS_OF_A = expect(403, anonymous=LOGIN, manager_a=200, staff=200, superuser=200)
HANDLERS_OF_A = expect(403, anonymous=LOGIN, manager_a=200)
APPLICATION_PARTIES = expect(404, anonymous=LOGIN, volunteer=200, manager_a=200)
APPLICATION_PARTIES_POST = expect(404, anonymous=LOGIN, volunteer=405, manager_a=405)


def _published(personas):
    from tissu.volunteering.tests.helpers import family, make_mission, make_skill

    mission = make_mission(
        title="Aide aux devoirs",
        skills=[make_skill("Soutien scolaire")],
        causes=[family("011000")],
        rhythm="Tous les mercredis après-midi",
        schedule="wed-afternoon",
        commitment_hours=2,
        publics="students minors",
    )
    return {"args": [mission.pk]}


def _one_off(personas):
    from tissu.volunteering.tests.helpers import make_mission

    return {"args": [make_mission(title="Collecte de la banque alimentaire", slots=2).pk]}


def _draft(personas):
    from tissu.volunteering.tests.helpers import make_mission

    return {
        "args": [make_mission(title="Trésorier·e", status="draft", mission_type="board", board_role="treasurer").pk]
    }


def _application(personas):
    from tissu.volunteering.models import ApplicationMessage
    from tissu.volunteering.tests.helpers import make_application, make_mission, make_profile

    make_profile(personas["volunteer"], phone="06 00 00 00 00", presentation="Étudiante en droit.")
    application = make_application(make_mission(title="Accueil du public"), personas["volunteer"], status="accepted")
    ApplicationMessage.objects.create(
        application=application, author=personas["manager_a"], from_association=True, body="Bienvenue !"
    )
    application.hours.create(day="2026-01-10", hours=3, note="Accueil")
    return {"args": [application.pk]}


def _invitation(personas):
    from tissu.volunteering.models import Invitation
    from tissu.volunteering.tests.helpers import make_mission

    invitation = Invitation.objects.create(
        mission=make_mission(title="Mission à laquelle on invite"),
        volunteer=personas["volunteer"],
        invited_by=personas["manager_a"],
    )
    return {"args": [invitation.pk]}


def _application_and_invitation(personas):
    _application(personas)
    _invitation(personas)
    return {}


def _confirmed(personas):
    args = _application(personas)["args"]
    from tissu.volunteering.models import VolunteerHours

    VolunteerHours.objects.filter(application_id=args[0]).update(status="confirmed")
    return {"args": args}


def _hours(personas):
    args = _application(personas)["args"]
    from tissu.volunteering.models import VolunteerHours

    return {"args": [args[0], VolunteerHours.objects.get(application_id=args[0]).pk]}


def _skill(personas):
    from tissu.volunteering.tests.helpers import make_skill

    return {"args": [make_skill("Comptabilité").pk]}


def _saved_search(personas):
    from django.utils import timezone

    from tissu.volunteering.models import SavedSearch
    from tissu.volunteering.tests.helpers import make_skill

    make_skill("Cuisine")
    saved, _created = SavedSearch.objects.get_or_create(
        user=personas["volunteer"], query="q=repas&skill=cuisine", defaults={"notified_until": timezone.now()}
    )
    return {"args": [saved.pk]}


def _pending(personas):
    from tissu.volunteering.tests.helpers import make_mission

    make_mission(title="Animation d'ateliers", status="pending_review")
    return {}


ROWS = [
    Row("volunteering:mission-map", PUBLIC, setup=lambda personas: _published(personas) and {}),
    Row("volunteering:mission-list", PUBLIC, setup=lambda personas: _published(personas) and {}),
    Row("volunteering:mission-detail", PUBLIC, setup=_published),
    Row("volunteering:mission-apply", SIGNED_IN_ONLY, setup=_one_off),
    Row(
        "volunteering:mission-edit",
        MANAGERS_OF_A,
        setup=_draft,
        note="a draft: its association's managers and the associations office",
    ),
    Row(
        "volunteering:mission-action",
        expect(403, anonymous=LOGIN, manager_a=405, staff=405, superuser=405),
        setup=_published,
        browse=False,
    ),
    Row("volunteering:mission-applications", HANDLERS_OF_A, setup=_published, note="candidates' data: managers only"),
    Row(
        "volunteering:invitation-send",
        expect(403, anonymous=LOGIN, manager_a=405),
        setup=_published,
        browse=False,
    ),
    Row(
        "volunteering:invitation-decline",
        expect(404, anonymous=LOGIN, volunteer=405),
        setup=_invitation,
        browse=False,
    ),
    Row(
        "volunteering:mission-review",
        expect(403, anonymous=LOGIN, staff=405, superuser=405),
        setup=_draft,
        browse=False,
    ),
    Row("volunteering:association-missions", MANAGERS_OF_A, setup=lambda personas: {"args": [ASSOCIATION_A_SLUG]}),
    Row("volunteering:mission-create", MANAGERS_OF_A, setup=lambda personas: {"args": [ASSOCIATION_A_SLUG]}),
    Row(
        "volunteering:my-applications",
        SIGNED_IN_ONLY,
        setup=_application_and_invitation,
    ),
    Row("volunteering:application-detail", APPLICATION_PARTIES, setup=_application),
    Row("volunteering:application-action", APPLICATION_PARTIES_POST, setup=_application, browse=False),
    Row("volunteering:application-message", APPLICATION_PARTIES_POST, setup=_application, browse=False),
    Row(
        "volunteering:hours-declare",
        expect(404, anonymous=LOGIN, volunteer=405, manager_a=403),
        setup=_application,
        browse=False,
    ),
    Row(
        "volunteering:hours-decide",
        expect(404, anonymous=LOGIN, volunteer=403, manager_a=405),
        setup=_hours,
        browse=False,
    ),
    Row("volunteering:certificate", APPLICATION_PARTIES, setup=_confirmed),
    Row("volunteering:certificate-pdf", APPLICATION_PARTIES, setup=_confirmed, browse=False),
    Row("volunteering:certificate-verify", PUBLIC),
    Row("volunteering:volunteer-profile", SIGNED_IN_ONLY),
    Row("volunteering:saved-search-list", SIGNED_IN_ONLY, setup=lambda personas: _saved_search(personas) and {}),
    Row(
        "volunteering:saved-search-delete",
        expect(404, anonymous=LOGIN, volunteer=405),
        setup=_saved_search,
        browse=False,
    ),
    Row("volunteering:recommended", SIGNED_IN_ONLY, setup=lambda personas: _published(personas) and {}),
    Row("volunteering:skill-list", OFFICE_ONLY, setup=lambda personas: _skill(personas) and {}),
    Row("volunteering:skill-edit", OFFICE_ONLY, setup=_skill),
    Row(
        "volunteering:skill-delete", expect(403, anonymous=LOGIN, staff=405, superuser=405), setup=_skill, browse=False
    ),
    Row("volunteering:review-queue", OFFICE_ONLY, setup=_pending),
    Row(
        "volunteering:figures",
        expect(403, anonymous=LOGIN, elected=200, staff=200, superuser=200),
        setup=lambda personas: _application(personas) and {},
        note="counts only: the office and elected officials",
    ),
]
