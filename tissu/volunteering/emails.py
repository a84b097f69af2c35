"""One function per message sent by volunteering.

Every message shares one set of templates (volunteering/emails/notice: subject, text, HTML) with a heading,
paragraphs and a link, written here in the recipient's language: the messages differ only by their words,
and one layout keeps the eight of them consistent.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tissu.directory.emails import office_recipients
from tissu.directory.models import MANAGER_ROLES, Membership
from tissu.lib.email import send_templated


def _url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def manager_recipients(association) -> list[str]:
    return sorted(
        Membership.objects.filter(
            association=association, role__in=MANAGER_ROLES, user__is_active=True, user__deleted_at__isnull=True
        )
        .values_list("user__email", flat=True)
        .distinct()
    )


def _notify(*, to, language=None, build) -> None:
    """build() returns (subject, paragraphs, url, link label), called in the recipient's language."""
    if not to:
        return
    with translation.override(language or settings.LANGUAGE_CODE):
        subject, paragraphs, url, link_label = build()
    send_templated(
        template="volunteering/emails/notice",
        to=to,
        language=language,
        context={"subject": subject, "paragraphs": paragraphs, "url": url, "link_label": link_label},
    )


def send_mission_to_review(*, mission) -> None:
    _notify(
        to=office_recipients(),
        build=lambda: (
            _("A volunteering mission to review: %(title)s") % {"title": mission.title},
            [
                _("%(association)s submitted the mission “%(title)s”. It will be published once you approve it.")
                % {"association": mission.association.name, "title": mission.title}
            ],
            _url("volunteering:review-queue"),
            _("Review the missions"),
        ),
    )


def _mission_reviewed(mission, approved: bool):
    if approved:
        return (
            _("Your mission is published: %(title)s") % {"title": mission.title},
            [
                _("The associations office approved the mission “%(title)s”: volunteers can now apply.")
                % {"title": mission.title}
            ],
            _url("volunteering:mission-detail", mission.pk),
            _("See the mission"),
        )
    return (
        _("Your mission needs changes: %(title)s") % {"title": mission.title},
        [
            _("The associations office sent the mission “%(title)s” back to draft:") % {"title": mission.title},
            mission.review_note,
        ],
        _url("volunteering:mission-edit", mission.pk),
        _("Change the mission"),
    )


def send_mission_reviewed(*, mission, approved: bool) -> None:
    _notify(to=manager_recipients(mission.association), build=lambda: _mission_reviewed(mission, approved))


def send_application_received(*, application) -> None:
    mission = application.mission

    def build():
        paragraphs = [
            _("%(name)s applied to the mission “%(title)s”.")
            % {"name": application.volunteer.full_name, "title": mission.title}
        ]
        if application.status == "waitlisted":
            paragraphs.append(_("The mission is full: the application is on the waiting list."))
        if application.message:
            paragraphs.append(application.message)
        return (
            _("New application: %(title)s") % {"title": mission.title},
            paragraphs,
            _url("volunteering:application-detail", application.pk),
            _("Answer the application"),
        )

    _notify(to=manager_recipients(mission.association), build=build)


def send_application_updated(*, application) -> None:
    """To the volunteer, after the association (or the mission's closing) changed their application."""
    mission = application.mission
    volunteer = application.volunteer

    def build():
        texts = {
            "new": _("A place opened on the mission “%(title)s”: your application left the waiting list."),
            "discussing": _("%(association)s read your application to “%(title)s” and would like to talk."),
            "accepted": _("Good news: %(association)s accepted your application to “%(title)s”."),
            "declined": _("%(association)s declined your application to “%(title)s”. Reason: %(reason)s."),
            "cancelled": _("Your application to “%(title)s” was cancelled by %(association)s."),
        }
        text = texts.get(application.status, texts["cancelled"]) % {
            "title": mission.title,
            "association": mission.association.name,
            "reason": application.get_decline_reason_display(),
        }
        return (
            _("Your application: %(title)s") % {"title": mission.title},
            [text],
            _url("volunteering:application-detail", application.pk),
            _("See your application"),
        )

    _notify(to=volunteer.email, language=volunteer.language, build=build)


def send_application_withdrawn(*, application) -> None:
    mission = application.mission
    _notify(
        to=manager_recipients(mission.association),
        build=lambda: (
            _("Application withdrawn: %(title)s") % {"title": mission.title},
            [
                _("%(name)s withdrew their application to “%(title)s”.")
                % {"name": application.volunteer.full_name, "title": mission.title}
            ],
            _url("volunteering:mission-applications", mission.pk),
            _("See the applications"),
        ),
    )


def send_message_received(*, message, application) -> None:
    mission = application.mission

    def build():
        sender = mission.association.name if message.from_association else application.volunteer.full_name
        return (
            _("New message about “%(title)s”") % {"title": mission.title},
            [_("%(sender)s wrote:") % {"sender": sender}, message.body],
            _url("volunteering:application-detail", application.pk),
            _("Answer in Tissu"),
        )

    if message.from_association:
        _notify(to=application.volunteer.email, language=application.volunteer.language, build=build)
    else:
        _notify(to=manager_recipients(mission.association), build=build)


def send_applications_reminder(*, mission, applications) -> None:
    count = len(applications)

    def build():
        return (
            _("Volunteers are waiting for your answer: %(title)s") % {"title": mission.title},
            [
                translation.ngettext(
                    "%(count)s application to “%(title)s” has had no answer for several days.",
                    "%(count)s applications to “%(title)s” have had no answer for several days.",
                    count,
                )
                % {"count": count, "title": mission.title},
                _("A quick answer, even a no, keeps volunteers coming: the mission page shows how fast you answer."),
            ],
            _url("volunteering:mission-applications", mission.pk),
            _("Answer the applications"),
        )

    _notify(to=manager_recipients(mission.association), build=build)


def send_hours_declared(*, entry, application) -> None:
    mission = application.mission
    _notify(
        to=manager_recipients(mission.association),
        build=lambda: (
            _("Hours to confirm: %(title)s") % {"title": mission.title},
            [
                _("%(name)s declared %(hours)s hours on %(day)s for “%(title)s”.")
                % {
                    "name": application.volunteer.full_name,
                    "hours": entry.hours,
                    "day": entry.day,
                    "title": mission.title,
                }
            ],
            _url("volunteering:application-detail", application.pk),
            _("Confirm the hours"),
        ),
    )


def send_saved_search_results(*, saved, missions) -> None:
    from tissu.volunteering.saved_searches import describe

    user = saved.user

    def build():
        paragraphs = [_("New missions match your saved search (%(search)s):") % {"search": describe(saved)}]
        paragraphs += [
            f"{mission.title} – {mission.association.name}\n{_url('volunteering:mission-detail', mission.pk)}"
            for mission in missions
        ]
        return (
            _("New volunteering missions for you"),
            paragraphs,
            settings.SITE_URL + reverse("volunteering:mission-list") + (f"?{saved.query}" if saved.query else ""),
            _("See the search"),
        )

    _notify(to=user.email, language=user.language, build=build)


def send_invitation(*, invitation) -> None:
    """To the volunteer: an association suggests a mission. Its managers never see the address it goes to."""
    mission = invitation.mission

    def build():
        paragraphs = [
            _("%(association)s invites you to apply to its mission “%(title)s”: they found your volunteer profile "
              "among the people who accept suggestions.")
            % {"association": mission.association.name, "title": mission.title}
        ]  # fmt: skip
        if invitation.message:
            paragraphs.append(invitation.message)
        paragraphs.append(
            _("Apply if it interests you, or decline from your applications page: the association is not given "
              "your email address. You can stop suggestions in your volunteer profile.")
        )  # fmt: skip
        return (
            _("An association invites you: %(title)s") % {"title": mission.title},
            paragraphs,
            _url("volunteering:mission-detail", mission.pk),
            _("See the mission"),
        )

    volunteer = invitation.volunteer
    _notify(to=[volunteer.email], language=volunteer.language, build=build)
