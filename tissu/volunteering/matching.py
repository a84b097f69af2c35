"""Matching volunteers and missions, with the reasons of each suggestion in words.

One scoring function serves both directions (missions for a volunteer, volunteers for a mission):

- each skill in common: 3 points;
- each cause the mission serves that the volunteer cares about: 2 points;
- each day × part of day when the volunteer is free and the mission happens: 1 point (at most 3);
- the mission in the volunteer's neighbourhood: 2 points; remote: 1 point.

Distance is approximated by the neighbourhood: volunteers give a neighbourhood, never an address.
The database first narrows the candidates to those sharing at least one skill, cause or neighbourhood (or
remote missions), newest first and at most CANDIDATES of them; the score is computed in Python on those.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tissu.volunteering.models import (
    DAYS,
    OPEN_STATUSES,
    PARTS,
    SLOT_CODES,
    Application,
    Mission,
    MissionSlot,
    MissionType,
    VolunteerProfile,
    codes,
)
from tissu.volunteering.selectors import _visible_associations

CANDIDATES = 300
DAY_CODES = [code for code, _label in DAYS]


@dataclass
class Match:
    score: int
    reasons: list[str]
    mission: Mission | None = None
    profile: VolunteerProfile | None = None

    @property
    def reasons_text(self) -> str:
        return ", ".join(self.reasons)


def slot_code(moment) -> str:
    local = timezone.localtime(moment)
    part = "morning" if local.hour < 12 else "afternoon" if local.hour < 18 else "evening"
    return f"{DAY_CODES[local.weekday()]}-{part}"


def mission_times(mission: Mission) -> set[str]:
    """When the mission happens, as day-part codes: its slots (one-off) or its usual schedule."""
    if mission.mission_type == MissionType.ONE_OFF:
        return {slot_code(slot.starts_at) for slot in mission.slots.all()}
    return set(mission.schedule.split())


def slot_label(code: str) -> str:
    day, part = code.split("-")
    return format_lazy("{} {}", dict(DAYS)[day], dict(PARTS)[part])


def _rate(
    *, common_skills: int, causes: list[str], times: set[str], availability: list[str], is_remote: bool, near: bool
) -> tuple[int, list[str]]:
    """The points of a (volunteer, mission) pair and their reasons in words, from plain facts about both."""
    reasons: list[str] = []
    points = 0
    if common_skills:
        points += 3 * common_skills
        reasons.append(
            ngettext("%(count)s skill in common", "%(count)s skills in common", common_skills)
            % {"count": common_skills}
        )
    if causes:
        points += 2 * len(causes)
        reasons.append(_("cares about %(causes)s") % {"causes": ", ".join(label.lower() for label in causes)})
    shared_times = sorted(set(availability) & times, key=_code_order)
    if shared_times:
        points += min(len(shared_times), 3)
        reasons.append(
            _("available on %(times)s") % {"times": _(" and ").join(str(slot_label(code)) for code in shared_times[:2])}
        )
    if is_remote:
        points += 1
        reasons.append(_("can be done remotely"))
    elif near:
        points += 2
        reasons.append(_("in the same neighbourhood"))
    return points, reasons


def score(profile: VolunteerProfile, mission: Mission, *, profile_skills: set, profile_interests: set) -> Match:
    points, reasons = _rate(
        common_skills=len(profile_skills & {skill.pk for skill in mission.skills.all()}),
        causes=[cause.label for cause in mission.causes.all() if cause.pk in profile_interests],
        times=mission_times(mission),
        availability=profile.availability_codes,
        is_remote=mission.is_remote,
        near=bool(profile.neighbourhood_id and profile.neighbourhood_id == mission.neighbourhood_id),
    )
    return Match(score=points, reasons=reasons, mission=mission, profile=profile)


def _code_order(code: str) -> int:
    return SLOT_CODES.index(code)


def _mission_relations(missions):
    return missions.select_related("association", "neighbourhood").prefetch_related(
        "skills", "causes", Prefetch("slots", queryset=MissionSlot.objects.filter(starts_at__gte=timezone.now()))
    )


def recommended_missions(*, profile: VolunteerProfile, limit: int = 10) -> list[Match]:
    """Open missions for this volunteer, best first, leaving out those they already applied to.

    The candidates are ranked from plain rows (ids, the skills and causes they share with the volunteer, the
    times of their slots): no model objects for the hundreds of candidates, only for the few shown."""
    skills = {skill.pk for skill in profile.skills.all()}
    interests = {theme.pk for theme in profile.interests.all()}
    near = Q(is_remote=True) | Q(skills__in=skills) | Q(causes__in=interests)
    if profile.neighbourhood_id:
        near |= Q(neighbourhood_id=profile.neighbourhood_id)
    candidate_ids = (
        Mission.objects.filter(_visible_associations(), near, status__in=OPEN_STATUSES)
        .exclude(applications__volunteer_id=profile.user_id)
        .values("pk")
    )
    rows = list(
        Mission.objects.filter(pk__in=candidate_ids)
        .order_by("-published_at", "-id")
        .values_list("pk", "mission_type", "schedule", "is_remote", "neighbourhood_id", "published_at")[:CANDIDATES]
    )
    ids = [row[0] for row in rows]
    shared_skills: dict[int, int] = {}
    for mission_id in Mission.skills.through.objects.filter(mission_id__in=ids, skill_id__in=skills).values_list(
        "mission_id", flat=True
    ):
        shared_skills[mission_id] = shared_skills.get(mission_id, 0) + 1
    shared_causes: dict[int, list[str]] = {}
    for mission_id, label in (
        Mission.causes.through.objects.filter(mission_id__in=ids, theme_id__in=interests)
        .order_by("theme_id")
        .values_list("mission_id", "theme__label")
    ):
        shared_causes.setdefault(mission_id, []).append(label)
    slot_times: dict[int, set[str]] = {}
    one_off = [row[0] for row in rows if row[1] == MissionType.ONE_OFF]
    for mission_id, starts_at in MissionSlot.objects.filter(
        mission_id__in=one_off, starts_at__gte=timezone.now()
    ).values_list("mission_id", "starts_at"):
        slot_times.setdefault(mission_id, set()).add(slot_code(starts_at))
    availability = profile.availability_codes
    ranked = []
    for pk, mission_type, schedule, is_remote, neighbourhood_id, published_at in rows:
        points, reasons = _rate(
            common_skills=shared_skills.get(pk, 0),
            causes=shared_causes.get(pk, []),
            times=slot_times.get(pk, set()) if mission_type == MissionType.ONE_OFF else set(schedule.split()),
            availability=availability,
            is_remote=is_remote,
            near=bool(profile.neighbourhood_id and profile.neighbourhood_id == neighbourhood_id),
        )
        if points > 0:
            ranked.append((-points, -(published_at or timezone.now()).timestamp(), -pk, reasons, points))
    ranked.sort()
    best = ranked[:limit]
    missions = _mission_relations(Mission.objects.filter(pk__in=[-entry[2] for entry in best])).in_bulk()
    return [
        Match(score=points, reasons=reasons, mission=missions[-negative_pk], profile=profile)
        for _points, _published, negative_pk, reasons, points in best
    ]


def suggested_volunteers(*, mission: Mission, limit: int = 10) -> list[Match]:
    """Volunteers who opted in to be contacted, best first, leaving out those who already applied."""
    # The mission's relations once, not once per candidate.
    mission = _mission_relations(Mission.objects.filter(pk=mission.pk)).get()
    mission_skills = {skill.pk for skill in mission.skills.all()}
    mission_causes = {cause.pk for cause in mission.causes.all()}
    near = Q(skills__in=mission_skills) | Q(interests__in=mission_causes)
    if mission.neighbourhood_id:
        near |= Q(neighbourhood_id=mission.neighbourhood_id)
    applied = Application.objects.filter(mission=mission).values("volunteer_id")
    candidate_ids = (
        VolunteerProfile.objects.filter(near, contact_opt_in=True, user__is_active=True, user__deleted_at__isnull=True)
        .exclude(user_id__in=applied)
        .values("pk")
    )
    if "minors" not in mission.public_codes:
        candidate_ids = candidate_ids.exclude(is_minor=True)
    rows = list(
        VolunteerProfile.objects.filter(pk__in=candidate_ids)
        .order_by("-updated_at", "-id")
        .values_list("pk", "availability", "neighbourhood_id")[:CANDIDATES]
    )
    ids = [row[0] for row in rows]
    shared_skills: dict[int, int] = {}
    for profile_id in VolunteerProfile.skills.through.objects.filter(
        volunteerprofile_id__in=ids, skill_id__in=mission_skills
    ).values_list("volunteerprofile_id", flat=True):
        shared_skills[profile_id] = shared_skills.get(profile_id, 0) + 1
    shared_causes: dict[int, list[str]] = {}
    for profile_id, label in (
        VolunteerProfile.interests.through.objects.filter(volunteerprofile_id__in=ids, theme_id__in=mission_causes)
        .order_by("theme_id")
        .values_list("volunteerprofile_id", "theme__label")
    ):
        shared_causes.setdefault(profile_id, []).append(label)
    times = mission_times(mission)
    ranked = []
    for order, (pk, availability, neighbourhood_id) in enumerate(rows):
        points, reasons = _rate(
            common_skills=shared_skills.get(pk, 0),
            causes=shared_causes.get(pk, []),
            times=times,
            availability=codes(availability),
            is_remote=mission.is_remote,
            near=bool(neighbourhood_id and neighbourhood_id == mission.neighbourhood_id),
        )
        if points > 0:
            ranked.append((-points, order, pk, reasons, points))
    ranked.sort()
    best = ranked[:limit]
    profiles = VolunteerProfile.objects.select_related("user", "neighbourhood").in_bulk([entry[2] for entry in best])
    return [
        Match(score=points, reasons=reasons, mission=mission, profile=profiles[pk])
        for _points, _order, pk, reasons, points in best
    ]
