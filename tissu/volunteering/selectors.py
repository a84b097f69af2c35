"""Reads of volunteering: mission search, a mission's page, applications, response times, personal data."""

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from tissu.directory import search
from tissu.directory.models import Association, RnaPosition, Theme
from tissu.volunteering.models import (
    OPEN_STATUSES,
    Application,
    ApplicationStatus,
    Mission,
    MissionSlot,
    MissionStatus,
    Skill,
    VolunteerHours,
    VolunteerProfile,
)


@dataclass(frozen=True)
class MissionFilters:
    q: str = ""
    skills: tuple[str, ...] = ()  # skill slugs
    causes: tuple[str, ...] = ()  # theme family codes
    types: tuple[str, ...] = ()
    neighbourhoods: tuple[str, ...] = ()  # neighbourhood slugs
    publics: tuple[str, ...] = ()
    remote: bool = False
    on_date: datetime.date | None = None
    include_full: bool = True

    @property
    def is_filtered(self) -> bool:
        return (
            bool(
                self.q or self.skills or self.causes or self.types or self.neighbourhoods or self.publics or self.remote
            )
            or self.on_date is not None
        )


def _visible_associations() -> Q:
    return Q(association__publish_on_web=True) & ~Q(association__rna_position=RnaPosition.REMOVED)


def mission_search(*, filters: MissionFilters) -> QuerySet[Mission]:
    """Open missions matching the filters, newest first, ready for a list (constant number of queries)."""
    statuses = OPEN_STATUSES if filters.include_full else [MissionStatus.PUBLISHED]
    missions = Mission.objects.filter(_visible_associations(), status__in=statuses)
    for term in search.query_terms(filters.q):
        missions = missions.filter(search_text__contains=term)
    if filters.skills:
        missions = missions.filter(skills__slug__in=filters.skills)
    if filters.causes:
        missions = missions.filter(causes__code__in=filters.causes)
    if filters.types:
        missions = missions.filter(mission_type__in=filters.types)
    if filters.neighbourhoods:
        missions = missions.filter(neighbourhood__slug__in=filters.neighbourhoods)
    for public in filters.publics:
        missions = missions.filter(publics__contains=public)
    if filters.remote:
        missions = missions.filter(is_remote=True)
    if filters.on_date:
        day = filters.on_date
        dated = Q(mission_type="one_off", slots__starts_at__date=day)
        ongoing = (
            ~Q(mission_type="one_off")
            & (Q(starts_on__isnull=True) | Q(starts_on__lte=day))
            & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        )
        missions = missions.filter(dated | ongoing)
    if filters.skills or filters.causes or filters.on_date:
        # Joins through many-to-many relations repeat a mission: keep each once.
        missions = Mission.objects.filter(pk__in=missions.values("pk"))
    return with_list_relations(missions).order_by("-published_at", "-id")


def located_missions(*, filters: MissionFilters) -> QuerySet[Mission]:
    """The search's missions that happen somewhere, placed at their association's address (missions carry a
    place in words, not coordinates); remote missions and associations without coordinates are left out."""
    return (
        mission_search(filters=filters)
        .filter(is_remote=False, association__latitude__isnull=False, association__longitude__isnull=False)
        .prefetch_related(None)
    )


def with_list_relations(missions: QuerySet[Mission]) -> QuerySet[Mission]:
    return missions.select_related("association", "neighbourhood").prefetch_related(
        Prefetch("skills", queryset=Skill.objects.order_by("name")),
        Prefetch("causes", queryset=Theme.objects.order_by("label")),
        Prefetch("slots", queryset=MissionSlot.objects.filter(starts_at__gte=timezone.now())),
    )


FACETS_CACHE_SECONDS = 300


def search_choices() -> dict:
    """The facets' values: skills and causes used by open missions, neighbourhoods of the city.

    Finding the skills and causes in use joins every open mission: cached a few minutes, since a
    facet value appearing a little late is harmless and the list is the busiest page.
    """
    from django.core.cache import cache

    from tissu.directory.models import Neighbourhood

    def used() -> dict:
        open_missions = Mission.objects.filter(status__in=OPEN_STATUSES)
        return {
            "skills": list(Skill.objects.filter(missions__in=open_missions).distinct().order_by("name")),
            "causes": list(Theme.objects.filter(code__in=open_missions.values("causes__code")).order_by("label")),
        }

    return {
        **cache.get_or_set("volunteering:facets", used, FACETS_CACHE_SECONDS),
        "neighbourhoods": list(Neighbourhood.objects.order_by("name")),
    }


def open_missions_of(association: Association, user=None) -> list[Mission]:
    """The association's profile: its missions open to applications (one query)."""
    return list(
        Mission.objects.filter(association=association, status__in=OPEN_STATUSES)
        .select_related("neighbourhood")
        .order_by("-published_at", "-id")[:20]
    )


def missions_of_association(association: Association) -> QuerySet[Mission]:
    """Every mission of the association for its managers, with counts of applications per state."""
    return (
        Mission.objects.filter(association=association)
        .annotate(
            new_count=Count("applications", filter=Q(applications__status=ApplicationStatus.NEW)),
            accepted_count=Count("applications", filter=Q(applications__status=ApplicationStatus.ACCEPTED)),
            waiting_count=Count("applications", filter=Q(applications__status=ApplicationStatus.WAITLISTED)),
        )
        .order_by("-updated_at", "-id")
    )


def missions_to_review() -> QuerySet[Mission]:
    return (
        Mission.objects.filter(status=MissionStatus.PENDING_REVIEW).select_related("association").order_by("updated_at")
    )


def mission_detail(*, mission: Mission) -> dict:
    return {
        "skills": list(mission.skills.order_by("name")),
        "causes": list(mission.causes.order_by("label")),
        "slots": list(mission.slots.filter(starts_at__gte=timezone.now())),
        "accepted_count": mission.applications.filter(status=ApplicationStatus.ACCEPTED).count(),
        "response": response_stats(association=mission.association),
    }


@dataclass(frozen=True)
class ResponseStats:
    received: int
    answered: int
    median_days: float | None

    @property
    def answered_percent(self) -> int:
        return round(100 * self.answered / self.received) if self.received else 0


def response_stats(*, association: Association, now: datetime.datetime | None = None) -> ResponseStats:
    """How the association answers its applications over the last year: share answered and median delay.

    An application counts as answered when the association moved it on or wrote to the candidate; those
    the candidate withdrew before any answer are left out.
    """
    now = now or timezone.now()
    rows = list(
        Application.objects.filter(mission__association=association, created_at__gte=now - datetime.timedelta(days=365))
        .exclude(status=ApplicationStatus.WITHDRAWN, responded_at__isnull=True)
        .exclude(status=ApplicationStatus.WAITLISTED)
        .values_list("created_at", "responded_at")
    )
    delays = [(responded - created).total_seconds() / 86400 for created, responded in rows if responded]
    return ResponseStats(
        received=len(rows), answered=len(delays), median_days=statistics.median(delays) if delays else None
    )


def applications_for_mission(mission: Mission) -> QuerySet[Application]:
    return mission.applications.select_related("volunteer", "slot").order_by("status", "created_at")


def applications_of_volunteer(user) -> QuerySet[Application]:
    return Application.objects.filter(volunteer=user).select_related("mission", "mission__association", "slot")


def application_thread(application: Application) -> list:
    return list(application.messages.select_related("author"))


def application_hours(application: Application) -> list[VolunteerHours]:
    return list(application.hours.all())


def profile_of(user) -> VolunteerProfile | None:
    if not user.is_authenticated:
        return None
    return (
        VolunteerProfile.objects.filter(user=user)
        .select_related("neighbourhood")
        .prefetch_related("skills", "interests")
        .first()
    )


def volunteer_export(user) -> dict:
    profile = profile_of(user)
    return {
        "profile": None
        if profile is None
        else {
            "skills": [skill.name for skill in profile.skills.all()],
            "interests": [theme.label for theme in profile.interests.all()],
            "availability": profile.availability_codes,
            "neighbourhood": profile.neighbourhood.name if profile.neighbourhood else None,
            "languages": profile.languages,
            "phone": profile.phone,
            "presentation": profile.presentation,
            "contact_opt_in": profile.contact_opt_in,
            "is_minor": profile.is_minor,
            "parental_consent": profile.parental_consent,
        },
        "applications": [
            {
                "mission": application.mission.title,
                "association": application.mission.association.name,
                "status": application.status,
                "message": application.message,
                "slot": application.slot.starts_at.isoformat() if application.slot else None,
                "created_at": application.created_at.isoformat(),
                "messages": [
                    {
                        "from_association": message.from_association,
                        "body": message.body,
                        "at": message.created_at.isoformat(),
                    }
                    for message in application.messages.all()
                ],
                "hours": [
                    {"day": entry.day.isoformat(), "hours": str(entry.hours), "status": entry.status}
                    for entry in application.hours.all()
                ],
            }
            for application in applications_of_volunteer(user).prefetch_related("messages", "hours")
        ],
        "invitations": [
            {
                "mission": invitation.mission.title,
                "association": invitation.mission.association.name,
                "message": invitation.message,
                "status": invitation.status,
                "created_at": invitation.created_at.isoformat(),
            }
            for invitation in user.volunteer_invitations.select_related("mission", "mission__association")
        ],
    }


@dataclass(frozen=True)
class Certificate:
    application: Application
    representative: str
    first_day: datetime.date
    last_day: datetime.date
    total_hours: object
    entries: list

    @property
    def verification_code(self) -> str:
        return certificate_code(self)


def certificate_code(certificate: Certificate) -> str:
    """A short code that proves the certificate came from Tissu and still says the same thing.

    It is the application's number and an HMAC (keyed by the site's SECRET_KEY) of what the certificate
    asserts: who, which mission, the period and the total of confirmed hours. Anyone holding the paper can
    check it on the verification page; a forged figure or name gives another code, and hours changed later
    make the old code stop matching. 12 base-32 characters: 60 bits, beyond guessing.
    """
    import base64

    from django.utils.crypto import salted_hmac

    application = certificate.application
    claim = "|".join(
        [
            str(application.pk),
            str(application.volunteer_id),
            str(application.mission_id),
            certificate.first_day.isoformat(),
            certificate.last_day.isoformat(),
            f"{certificate.total_hours:.2f}",
        ]
    )
    digest = salted_hmac("tissu.volunteering.certificate", claim, algorithm="sha256").digest()
    return f"{application.pk}-{base64.b32encode(digest).decode()[:12]}"


def certificate_verify(code: str) -> Certificate | None:
    """The current certificate whose code is ``code``, or None (unknown, forged, or no longer matching)."""
    from django.utils.crypto import constant_time_compare

    number, _, _ = code.strip().upper().partition("-")
    if not number.isdigit():
        return None
    application = (
        Application.objects.select_related("mission", "mission__association", "volunteer").filter(pk=number).first()
    )
    certificate = certificate_for(application) if application else None
    if certificate is None or not constant_time_compare(certificate.verification_code, code.strip().upper()):
        return None
    return certificate


def certificate_for(application: Application) -> Certificate | None:
    """The volunteering certificate of an application: its hours confirmed by the association, or None."""
    from django.db.models import Sum

    from tissu.directory.models import Membership
    from tissu.volunteering.models import HoursStatus

    confirmed = application.hours.filter(status=HoursStatus.CONFIRMED).order_by("day")
    entries = list(confirmed)
    if not entries:
        return None
    representative = (
        Membership.objects.filter(association=application.mission.association, is_representative=True)
        .select_related("user")
        .first()
    )
    return Certificate(
        application=application,
        representative=representative.user.full_name if representative else "",
        first_day=entries[0].day,
        last_day=entries[-1].day,
        total_hours=confirmed.aggregate(total=Sum("hours"))["total"],
        entries=entries,
    )


def invitations_of_mission(mission: Mission) -> dict[int, object]:
    """{volunteer id: invitation} for a mission, so its suggestions show who was already invited."""
    from tissu.volunteering.models import Invitation

    return {invitation.volunteer_id: invitation for invitation in Invitation.objects.filter(mission=mission)}


def pending_invitations_of(user) -> list:
    from tissu.volunteering.models import Invitation, InvitationStatus

    return list(
        Invitation.objects.filter(volunteer=user, status=InvitationStatus.PENDING)
        .select_related("mission", "mission__association")
        .order_by("-created_at")
    )
