"""Factories for volunteering tests: missions in a given state, profiles, applications."""

import datetime

from django.utils import timezone
from django.utils.text import slugify

from tissu.directory import search
from tissu.directory.models import Association, Theme
from tissu.volunteering.models import Application, Mission, MissionSlot, MissionStatus, Skill, VolunteerProfile


def make_skill(name: str) -> Skill:
    return Skill.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0]


def family(code: str = "011000") -> Theme:
    return Theme.objects.get(code=code)


def make_mission(
    association: Association | str = "association-a",
    *,
    title: str = "Accueil des familles",
    status: str = MissionStatus.PUBLISHED,
    skills=(),
    causes=(),
    slots: int = 0,
    **fields,
) -> Mission:
    if isinstance(association, str):
        association = Association.objects.get(slug=association)
    fields.setdefault("description", "Accueillir les familles le samedi matin.")
    fields.setdefault("address", "12 rue des Lilas")
    if slots:
        fields.setdefault("mission_type", "one_off")
    mission = Mission.objects.create(
        association=association,
        title=title,
        status=status,
        published_at=timezone.now() if status != MissionStatus.DRAFT else None,
        search_text=search.search_text(title, fields["description"], " ".join(skill.name for skill in skills)),
        **fields,
    )
    mission.skills.set(skills)
    mission.causes.set(causes)
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=7)
    for number in range(slots):
        MissionSlot.objects.create(
            mission=mission,
            starts_at=start + datetime.timedelta(days=number),
            ends_at=start + datetime.timedelta(days=number, hours=3),
        )
    return mission


def make_profile(user, *, skills=(), interests=(), **fields) -> VolunteerProfile:
    profile, _created = VolunteerProfile.objects.update_or_create(user=user, defaults=fields)
    profile.skills.set(skills)
    profile.interests.set(interests)
    return profile


def make_application(mission: Mission, volunteer, **fields) -> Application:
    fields.setdefault("message", "Je suis disponible et motivée.")
    return Application.objects.create(mission=mission, volunteer=volunteer, **fields)
