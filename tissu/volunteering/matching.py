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


def score(profile: VolunteerProfile, mission: Mission, *, profile_skills: set, profile_interests: set) -> Match:
    reasons: list[str] = []
    points = 0
    common_skills = profile_skills & {skill.pk for skill in mission.skills.all()}
    if common_skills:
        points += 3 * len(common_skills)
        reasons.append(
            ngettext("%(count)s skill in common", "%(count)s skills in common", len(common_skills))
            % {"count": len(common_skills)}
        )
    causes = [cause for cause in mission.causes.all() if cause.pk in profile_interests]
    if causes:
        points += 2 * len(causes)
        reasons.append(_("cares about %(causes)s") % {"causes": ", ".join(cause.label.lower() for cause in causes)})
    times = sorted(set(profile.availability_codes) & mission_times(mission), key=_code_order)
    if times:
        points += min(len(times), 3)
        reasons.append(
            _("available on %(times)s") % {"times": _(" and ").join(str(slot_label(code)) for code in times[:2])}
        )
    if mission.is_remote:
        points += 1
        reasons.append(_("can be done remotely"))
    elif profile.neighbourhood_id and profile.neighbourhood_id == mission.neighbourhood_id:
        points += 2
        reasons.append(_("in the same neighbourhood"))
    return Match(score=points, reasons=reasons, mission=mission, profile=profile)


def _code_order(code: str) -> int:
    return SLOT_CODES.index(code)


def _mission_relations(missions):
    return missions.select_related("association", "neighbourhood").prefetch_related(
        "skills", "causes", Prefetch("slots", queryset=MissionSlot.objects.filter(starts_at__gte=timezone.now()))
    )


def recommended_missions(*, profile: VolunteerProfile, limit: int = 10) -> list[Match]:
    """Open missions for this volunteer, best first, leaving out those they already applied to."""
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
    missions = _mission_relations(
        Mission.objects.filter(pk__in=candidate_ids).order_by("-published_at", "-id")[:CANDIDATES]
    )
    matches = [score(profile, mission, profile_skills=skills, profile_interests=interests) for mission in missions]
    matches = [match for match in matches if match.score > 0]
    matches.sort(key=lambda match: (-match.score, -(match.mission.published_at or timezone.now()).timestamp()))
    return matches[:limit]


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
    profiles = (
        VolunteerProfile.objects.filter(pk__in=candidate_ids)
        .select_related("user", "neighbourhood")
        .prefetch_related("skills", "interests")
        .order_by("-updated_at", "-id")[:CANDIDATES]
    )
    matches = []
    for profile in profiles:
        match = score(
            profile,
            mission,
            profile_skills={skill.pk for skill in profile.skills.all()},
            profile_interests={theme.pk for theme in profile.interests.all()},
        )
        if match.score > 0:
            matches.append(match)
    matches.sort(key=lambda match: -match.score)
    return matches[:limit]
