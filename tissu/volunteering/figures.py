"""Volunteering in figures, for the office, elected officials and the future observatory.

Counters per calendar year, all computed by the database (a fixed number of aggregate queries whatever the
data), with no personal data: counts only.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear

from tissu.volunteering.models import (
    Application,
    ApplicationStatus,
    HoursStatus,
    Mission,
    MissionType,
    VolunteerHours,
    VolunteerProfile,
)


@dataclass(frozen=True)
class Figures:
    year: int
    missions_by_type: list[tuple[str, int]]
    missions_total: int
    places_offered: int
    associations_recruiting: int
    applications_by_status: list[tuple[str, int]]
    applications_total: int
    acceptance_rate: float | None  # accepted / answered (accepted + declined), in %
    volunteers_applying: int
    volunteers_with_hours: int
    hours_confirmed: float
    profiles_total: int
    profiles_open_to_suggestions: int
    years: list[int]


def _year_range(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)


def volunteering_figures(*, year: int) -> Figures:
    start, end = _year_range(year)
    published = Mission.objects.filter(published_at__date__gte=start, published_at__date__lt=end)
    by_type = dict(published.values_list("mission_type").annotate(count=Count("id")).order_by())
    totals = published.aggregate(
        missions=Count("id"), places=Sum("places"), associations=Count("association", distinct=True)
    )
    applications = Application.objects.filter(created_at__date__gte=start, created_at__date__lt=end)
    by_status = dict(applications.values_list("status").annotate(count=Count("id")).order_by())
    application_totals = applications.aggregate(total=Count("id"), volunteers=Count("volunteer", distinct=True))
    answered = by_status.get(ApplicationStatus.ACCEPTED, 0) + by_status.get(ApplicationStatus.DECLINED, 0)
    hours = VolunteerHours.objects.filter(status=HoursStatus.CONFIRMED, day__gte=start, day__lt=end).aggregate(
        total=Sum("hours"), volunteers=Count("application__volunteer", distinct=True)
    )
    profiles = VolunteerProfile.objects.aggregate(total=Count("id"), open=Count("id", filter=Q(contact_opt_in=True)))
    published_years = (
        Mission.objects.exclude(published_at=None)
        .annotate(year=ExtractYear("published_at"))
        .values_list("year", flat=True)
        .distinct()
    )
    years = sorted(set(published_years) | {year})
    return Figures(
        year=year,
        missions_by_type=[(label, by_type.get(value, 0)) for value, label in MissionType.choices],
        missions_total=totals["missions"],
        places_offered=totals["places"] or 0,
        associations_recruiting=totals["associations"],
        applications_by_status=[(label, by_status.get(value, 0)) for value, label in ApplicationStatus.choices],
        applications_total=application_totals["total"],
        acceptance_rate=round(100 * by_status.get(ApplicationStatus.ACCEPTED, 0) / answered, 1) if answered else None,
        volunteers_applying=application_totals["volunteers"],
        volunteers_with_hours=hours["volunteers"],
        hours_confirmed=float(hours["total"] or 0),
        profiles_total=profiles["total"],
        profiles_open_to_suggestions=profiles["open"],
        years=years,
    )
