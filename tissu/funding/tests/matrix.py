"""The funding module's rows. The catalogue, calls and grants decided are public; applications and vaults
belong to the association's managers and the office; the overview to the office and elected officials;
committee sessions to the office, elected officials and their members (committee persona)."""

from tests.matrix import LOGIN, OFFICE_ONLY, PUBLIC, SIGNED_IN_ONLY, Row, expect

MANAGERS = expect(403, anonymous=LOGIN, manager_a=200, manager_b=200)
MANAGER_A_WRITES = expect(403, anonymous=LOGIN, manager_a=200)
MANAGER_A_AND_OFFICE = expect(403, anonymous=LOGIN, manager_a=200, staff=200, superuser=200)
OFFICE_POST = expect(403, anonymous=LOGIN, staff=405, superuser=405)
OVERVIEW = expect(403, anonymous=LOGIN, elected=200, staff=200, superuser=200)
SESSIONS = expect(403, anonymous=LOGIN, committee=200, elected=200, staff=200, superuser=200)
MEMBER_POST = expect(403, anonymous=LOGIN, committee=405)


def _scheme(personas):
    from tissu.funding.tests.factories import make_scheme

    return {"args": [make_scheme().slug]}


def _call(personas):
    from tissu.funding.tests.factories import make_call

    return {"args": [make_call().pk]}


def _draft(personas):
    from tissu.funding.tests.factories import make_application

    return {"args": [make_application(by=personas["manager_a"]).pk]}


def _draft_budget(personas):
    return {"args": [*_draft(personas)["args"], "project"]}


def _received(personas):
    from tissu.funding.tests.factories import make_application

    return {"args": [make_application(status="received", by=personas["manager_a"]).pk]}


def _version(personas):
    return {"args": [*_received(personas)["args"], 1]}


def _act(personas):
    return {"args": [*_received(personas)["args"], "complete"]}


def _notified(personas):
    from tissu.funding.tests.factories import make_decided

    return {"args": [make_decided().pk]}


def _report_due(personas):
    from tissu.funding.tests.factories import make_decided

    return {"args": [make_decided(status="report_due").pk]}


def _vault(personas):
    return {"args": ["association-a"]}


def _document(personas):
    from tissu.funding.tests.factories import make_document

    return {"args": [make_document(association="association-a").pk]}


def _scheme_pk(personas):
    from tissu.funding.tests.factories import make_scheme

    return {"args": [make_scheme().pk]}


def _session(personas):
    from tissu.funding.tests.factories import make_application, make_session, put_on_agenda

    session = make_session(members=[(personas["committee"], "council")])
    put_on_agenda(session, make_application(association="association-b", status="under_review"))
    return {"args": [session.pk]}


def _session_item(personas):
    session_pk = _session(personas)["args"][0]
    from tissu.funding.models import SessionItem

    return {"args": [session_pk, SessionItem.objects.get(session_id=session_pk).pk]}


def _agreement(personas):
    from tissu.funding.tests.factories import make_agreement

    return {"args": [make_agreement().pk]}


def _agreement_year(personas):
    from tissu.funding.tests.factories import make_agreement

    agreement = make_agreement()
    return {"args": [agreement.pk, agreement.start_year]}


ROWS = [
    Row("funding:scheme-list", PUBLIC),
    Row("funding:scheme-detail", PUBLIC, setup=_scheme),
    Row("funding:eligibility", PUBLIC, setup=_scheme),
    Row("funding:call-list", PUBLIC),
    Row("funding:call-detail", PUBLIC, setup=_call),
    Row("funding:grant-list", PUBLIC),
    Row("funding:grant-csv", PUBLIC, browse=False),
    Row("api:grant-list", PUBLIC, browse=False),
    Row("funding:application-create", MANAGERS, setup=_call),
    Row("funding:my-applications", SIGNED_IN_ONLY),
    # The office reads an application on its own review page (a redirect from the association's page).
    Row(
        "funding:application-detail",
        expect(403, anonymous=LOGIN, manager_a=200, staff=302, superuser=302),
        setup=_received,
        browse=False,
    ),
    Row("funding:application-edit", MANAGER_A_WRITES, setup=_draft),
    Row("funding:application-budget", MANAGER_A_WRITES, setup=_draft_budget),
    Row("funding:application-documents", MANAGER_A_WRITES, setup=_draft),
    Row("funding:application-submit", MANAGER_A_WRITES, setup=_draft),
    Row("funding:application-pdf", MANAGER_A_AND_OFFICE, setup=_received, browse=False),
    Row("funding:application-version", MANAGER_A_AND_OFFICE, setup=_version),
    Row("funding:application-letter", MANAGER_A_AND_OFFICE, setup=_notified, browse=False),
    Row("funding:final-report", MANAGER_A_WRITES, setup=_report_due),
    Row("funding:vault", MANAGER_A_AND_OFFICE, setup=_vault),
    Row("funding:document-download", MANAGER_A_AND_OFFICE, setup=_document, browse=False),
    Row(
        "funding:document-delete",
        expect(403, anonymous=LOGIN, manager_a=405),
        setup=_document,
        browse=False,
    ),
    # The office's pages.
    Row("funding:staff-applications", OFFICE_ONLY),
    Row("funding:staff-application", OFFICE_ONLY, setup=_received),
    Row("funding:staff-application-act", OFFICE_POST, setup=_act, browse=False),
    Row("funding:staff-schemes", OFFICE_ONLY),
    Row("funding:scheme-create", OFFICE_ONLY),
    Row("funding:scheme-edit", OFFICE_ONLY, setup=_scheme_pk),
    Row("funding:call-create", OFFICE_ONLY),
    Row("funding:call-edit", OFFICE_ONLY, setup=_call),
    Row("funding:overview", OVERVIEW),
    Row("funding:envelope-set", OFFICE_ONLY),
    Row("funding:staff-opendata", OFFICE_ONLY),
    # The allocation committee.
    Row("funding:session-list", SESSIONS),
    Row("funding:session-create", OFFICE_ONLY),
    Row("funding:session-detail", SESSIONS, setup=_session),
    Row("funding:session-members", OFFICE_ONLY, setup=_session),
    Row("funding:session-conflict", MEMBER_POST, setup=_session, browse=False),
    Row("funding:item-opinion", MEMBER_POST, setup=_session_item, browse=False),
    Row("funding:item-decision", OFFICE_POST, setup=_session_item, browse=False),
    Row("funding:session-minutes", OFFICE_ONLY, setup=_session),
    Row("funding:session-minutes-pdf", SESSIONS, setup=_session, browse=False),
    # Multi-year agreements: association A's, read by its managers, the office and elected officials.
    Row("funding:agreement-list", SIGNED_IN_ONLY),
    Row("funding:agreement-create", OFFICE_ONLY),
    Row(
        "funding:agreement-detail",
        expect(403, anonymous=LOGIN, manager_a=200, elected=200, staff=200, superuser=200),
        setup=_agreement,
    ),
    Row("funding:agreement-review", OFFICE_ONLY, setup=_agreement_year),
]
