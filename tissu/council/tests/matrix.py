"""The council module's rows: the council, its elections, meetings, groups and consultations are public;
the office configures and runs them; managers stand, designate their voter and propose items; only the
designated representative votes; a group's space is for its members.

Fixtures (built by the rows' setup): colleges placing association A (sports), elections in a given phase,
a bureau meeting, a working group with manager_a as member, a consultation not yet published.
"""

from tests.matrix import LOGIN, OFFICE_ONLY, PUBLIC, SIGNED_IN_ONLY, Row, expect

OFFICE_POST = expect(403, anonymous=LOGIN, staff=405, superuser=405)
MANAGERS = expect(403, anonymous=LOGIN, manager_a=200, manager_b=200)
MANAGER_A = expect(403, anonymous=LOGIN, manager_a=200)
CITY_STAFF = ["committee", "elected", "staff", "superuser"]


def _college(personas):
    from tissu.council.tests.factories import make_college

    return {"args": [make_college().pk]}


def _election(phase):
    def setup(personas):
        from tissu.council.tests.factories import make_college, make_election, verify

        make_college()
        verify("association-a")
        return {"args": [make_election(phase).pk]}

    return setup


def _candidacy_of_a(personas):
    from tissu.council.tests.factories import make_college, make_election, stand, verify

    make_college()
    verify("association-a")
    candidacy = stand(make_election("candidacy"), "association-a", representative=personas["manager_a"])
    return {"args": [candidacy.pk]}


def _published_roll(personas):
    from tissu.council.tests.factories import make_college, make_election, publish_roll, verify

    make_college()
    verify("association-a")
    election = make_election("campaign")
    publish_roll(election)
    return {"args": [election.pk]}


def _voting(personas):
    from tissu.council.tests.factories import designate, make_college, make_election, publish_roll, stand, verify

    make_college()
    verify("association-a")
    designate("association-a", personas["manager_a"])
    election = make_election("voting")
    stand(election, "association-a", representative=personas["manager_a"])
    publish_roll(election)
    return {"args": [election.pk]}


def _closed(personas):
    args = _voting(personas)["args"]
    from django.utils import timezone

    from tissu.council.models import Election

    Election.objects.filter(pk=args[0]).update(voting_closes_at=timezone.now())
    return {"args": args}


def _counted(personas):
    from tissu.council import services
    from tissu.council.models import Election

    args = _closed(personas)["args"]
    services.election_count(actor=personas["staff"], election=Election.objects.get(pk=args[0]))
    return {"args": args}


def _meeting(personas):
    from tissu.council.tests.factories import make_meeting

    return {"args": [make_meeting().pk]}


def _proposed_item(personas):
    from tissu.council.models import MeetingItem
    from tissu.council.tests.factories import make_meeting

    item = MeetingItem.objects.create(meeting=make_meeting(), title="Forum de rentrée", status="proposed")
    return {"args": [item.pk, "accept"]}


def _draft_minutes(personas):
    from tissu.council.tests.factories import make_meeting

    meeting = make_meeting(days=-10, minutes="Relevé de décisions.", minutes_status="draft")
    return {"args": [meeting.pk, "approuver"]}


def _action(personas):
    import datetime

    from tissu.council.models import ActionItem
    from tissu.council.tests.factories import make_meeting

    action = ActionItem.objects.create(
        meeting=make_meeting(days=-10),
        title="Rencontrer le service communication",
        owner="Bureau",
        due_on=datetime.date(2027, 1, 15),
    )
    return {"args": [action.pk]}


def _document(personas):
    from tissu.council.models import Document
    from tissu.council.tests.factories import make_meeting

    # No file on disk: the allowed personas pass the gateway then get 404 (downloads: tests/test_meetings.py).
    document = Document.objects.create(
        meeting=make_meeting(), title="Ordre du jour", file="council/documents/x/absent.pdf"
    )
    return {"args": [document.pk]}


def _group(personas):
    from tissu.council.models import WorkingGroup, WorkingGroupMember

    group, _ = WorkingGroup.objects.get_or_create(name="Droits des femmes", defaults={"description": "Commission."})
    WorkingGroupMember.objects.get_or_create(group=group, user=personas["manager_a"])
    return {"args": [group.pk]}


def _consultation(personas):
    import datetime

    from tissu.council.models import Consultation

    consultation = Consultation.objects.create(
        title="Lettre d'information",
        question="Quel rythme ?",
        level="concertation",
        answer_due_on=datetime.date(2027, 2, 1),
    )
    return {"args": [consultation.pk]}


ROWS = [
    Row("council:home", PUBLIC),
    Row("council:settings", OFFICE_ONLY),
    Row("council:college-create", OFFICE_ONLY),
    Row("council:college-edit", OFFICE_ONLY, setup=_college),
    Row("council:placement", OFFICE_ONLY),
    Row("council:override-edit", OFFICE_ONLY, setup=lambda personas: {"args": ["association-a"]}),
    Row("council:representative-edit", MANAGER_A, setup=lambda personas: {"args": ["association-a"]}),
    Row("council:election-create", OFFICE_ONLY),
    Row("council:election-detail", PUBLIC, setup=_election("candidacy")),
    Row("council:election-edit", OFFICE_ONLY, setup=_election("candidacy")),
    Row("council:candidacy-create", MANAGERS, setup=_election("candidacy")),
    Row(
        "council:candidacy-withdraw",
        expect(403, anonymous=LOGIN, manager_a=405),
        setup=_candidacy_of_a,
        browse=False,
    ),
    Row("council:roll", PUBLIC, setup=_published_roll),
    Row("council:roll-publish", OFFICE_POST, setup=_election("campaign"), browse=False),
    Row(
        "council:vote",
        MANAGER_A,
        setup=_voting,
        note="only the designated representative of an association on the roll",
    ),
    Row(
        "council:receipt", SIGNED_IN_ONLY, setup=_voting, note="shows only the codes kept in the visitor's own session"
    ),
    Row("council:ballots", PUBLIC, setup=_closed),
    Row("council:ballots-json", PUBLIC, setup=_closed, browse=False),
    Row("council:count", OFFICE_POST, setup=_closed, browse=False),
    Row("council:results", PUBLIC, setup=_counted),
    Row("council:official-record", PUBLIC, setup=_counted, browse=False),
    # Meetings
    Row("council:meeting-list", PUBLIC),
    Row("council:meeting-create", OFFICE_ONLY),
    Row("council:meeting-detail", PUBLIC, setup=_meeting),
    Row("council:meeting-edit", OFFICE_ONLY, setup=_meeting),
    Row("council:meeting-convene", OFFICE_POST, setup=_meeting, browse=False),
    Row("council:item-propose", MANAGERS, setup=_meeting),
    Row("council:item-decide", OFFICE_POST, setup=_proposed_item, browse=False, note="and the bureau"),
    Row("council:attendance", OFFICE_ONLY, setup=_meeting),
    Row("council:document-upload", OFFICE_ONLY, setup=_meeting),
    Row(
        "council:document-download",
        expect(403, anonymous=LOGIN, manager_a=404, manager_b=404, **dict.fromkeys(CITY_STAFF, 404)),
        setup=_document,
        browse=False,
    ),
    Row("council:minutes-edit", OFFICE_ONLY, setup=_meeting),
    Row("council:minutes-act", OFFICE_POST, setup=_draft_minutes, browse=False, note="approval: and the bureau"),
    Row("council:action-create", OFFICE_ONLY, setup=_meeting),
    Row("council:action-done", OFFICE_POST, setup=_action, browse=False, note="and the bureau"),
    Row("council:bureau-space", OFFICE_ONLY, note="and the bureau's members (tests/test_meetings.py)"),
    # Working groups
    Row("council:group-list", PUBLIC),
    Row("council:group-create", OFFICE_ONLY),
    Row("council:group-edit", OFFICE_ONLY, setup=_group),
    Row("council:group-space", expect(403, anonymous=LOGIN, manager_a=200, staff=200, superuser=200), setup=_group),
    Row(
        "council:group-document-upload",
        expect(403, anonymous=LOGIN, manager_a=405, staff=405, superuser=405),
        setup=_group,
        browse=False,
    ),
    Row("council:group-members", OFFICE_ONLY, setup=_group),
    # Consultations
    Row("council:consultation-list", PUBLIC),
    Row("council:consultation-create", expect(403, anonymous=LOGIN, elected=200, staff=200, superuser=200)),
    Row(
        "council:consultation-detail",
        expect(404, anonymous=403, **dict.fromkeys(CITY_STAFF, 200)),
        setup=_consultation,
        note="unpublished: city staff and the bureau; published: everyone",
    ),
    Row("council:consultation-answer", OFFICE_ONLY, setup=_consultation, note="and the bureau"),
    Row("council:consultation-publish", OFFICE_POST, setup=_consultation, browse=False),
]
