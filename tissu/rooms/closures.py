"""When rooms are closed: French public holidays (the ``holidays`` package) and the closures staff enter.

ROOMS_HOLIDAYS_SUBDIVISION (a setting, empty by default) picks a subdivision of ``holidays.France``:
"57" (Moselle) adds Good Friday and Saint Stephen's Day, the local law of Alsace-Moselle ("67", "68"
are the same days: the package lists Moselle only, a city of Bas-Rhin or Haut-Rhin sets "57").
"""

import datetime
from functools import lru_cache

import holidays
from django.conf import settings
from django.db.models import Q
from django.utils.translation import get_language

from tissu.rooms.models import Closure


@lru_cache(maxsize=64)
def _public_holidays(year: int, subdivision: str, language: str) -> dict[datetime.date, str]:
    return dict(holidays.France(years=year, subdiv=subdivision or None, language=language))


def public_holidays(start: datetime.date, end: datetime.date) -> dict[datetime.date, str]:
    """The public holidays between two dates (both included), named in the current language."""
    subdivision = getattr(settings, "ROOMS_HOLIDAYS_SUBDIVISION", "")
    language = "fr" if (get_language() or "fr").startswith("fr") else "en_US"
    days = {}
    for year in range(start.year, end.year + 1):
        days.update(_public_holidays(year, subdivision, language))
    return {day: name for day, name in days.items() if start <= day <= end}


def closed_days(building_id: int | None, start: datetime.date, end: datetime.date) -> dict[datetime.date, str]:
    """Every closed day of a building between two dates, with why: public holidays and staff closures."""
    days = dict(public_holidays(start, end))
    closures = Closure.objects.filter(start_date__lte=end, end_date__gte=start).filter(
        Q(building__isnull=True) | Q(building_id=building_id)
    )
    for closure in closures:
        day = max(closure.start_date, start)
        while day <= min(closure.end_date, end):
            days.setdefault(day, closure.label)
            day += datetime.timedelta(days=1)
    return days


def closed_days_by_building(building_ids, start: datetime.date, end: datetime.date) -> dict[int, dict]:
    """closed_days for several buildings in two queries' worth of work (holidays computed once)."""
    holidays_ = public_holidays(start, end)
    result = {pk: dict(holidays_) for pk in building_ids}
    for closure in Closure.objects.filter(start_date__lte=end, end_date__gte=start):
        targets = result.keys() if closure.building_id is None else [closure.building_id]
        day = max(closure.start_date, start)
        while day <= min(closure.end_date, end):
            for pk in targets:
                if pk in result:
                    result[pk].setdefault(day, closure.label)
            day += datetime.timedelta(days=1)
    return result
