"""Recurring events: an RFC 5545 RRULE, expanded with python-dateutil into the dates of the event.

The rule is applied in the city's local time, so that a workshop at 18:00 stays at 18:00 across the
change to summer time; each date is then made aware again. A rule must end (COUNT or UNTIL) and may
not produce more than MAX_OCCURRENCES dates over more than MAX_YEARS: an agenda is not a perpetual
calendar, and a typo must not write a million rows.
"""

import datetime

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

MAX_OCCURRENCES = 200
MAX_YEARS = 3


def _normalise(rule: str) -> str:
    rule = "".join(rule.split()).upper()
    return rule.removeprefix("RRULE:")


def occurrences(
    *, starts_at: datetime.datetime, ends_at: datetime.datetime, rule: str = "", exceptions=()
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The (start, end) pairs of an event; raises ValidationError for a rule that is wrong or too long."""
    duration = ends_at - starts_at
    if not rule:
        return [(starts_at, ends_at)]
    rule = _normalise(rule)
    if "COUNT=" not in rule and "UNTIL=" not in rule:
        raise ValidationError({"recurrence": _("A recurrence must end: add COUNT=… or UNTIL=… to the rule.")})
    local_start = timezone.localtime(starts_at)
    zone = local_start.tzinfo
    naive_start = local_start.replace(tzinfo=None)
    # UNTIL in UTC form (…Z) cannot be mixed with a naive start in dateutil: read it as a local date.
    rule = _until_as_local(rule)
    try:
        parsed = rrulestr(rule, dtstart=naive_start)
    except (ValueError, TypeError) as error:
        raise ValidationError(
            {"recurrence": _("This recurrence rule is not valid: %(error)s") % {"error": error}}
        ) from None
    limit = naive_start + datetime.timedelta(days=365 * MAX_YEARS)
    dates = []
    skipped = {str(day) for day in exceptions}
    for count, moment in enumerate(parsed):
        if count >= MAX_OCCURRENCES or moment > limit:
            raise ValidationError(
                {
                    "recurrence": _(
                        "This recurrence gives more than %(count)s dates or lasts more than %(years)s years."
                    )
                    % {"count": MAX_OCCURRENCES, "years": MAX_YEARS}
                }
            )
        if moment.date().isoformat() in skipped:
            continue
        start = timezone.make_aware(moment, zone)
        dates.append((start, start + duration))
    if not dates:
        raise ValidationError({"recurrence": _("This recurrence gives no date at all.")})
    return dates


def _until_as_local(rule: str) -> str:
    parts = []
    for part in rule.split(";"):
        if part.startswith("UNTIL=") and part.endswith("Z"):
            part = part[:-1]
        parts.append(part)
    return ";".join(parts)


def parse_exception_dates(text: str) -> list[str]:
    """'2026-12-24, 2026-12-31' → ['2026-12-24', '2026-12-31']; ValidationError for anything else."""
    days = []
    for chunk in text.replace(";", ",").replace("\n", ",").split(","):
        chunk = chunk.strip()
        if not chunk:
            continue
        try:
            days.append(datetime.date.fromisoformat(chunk).isoformat())
        except ValueError:
            raise ValidationError(
                {"exception_dates": _("“%(value)s” is not a date like 2026-12-24.") % {"value": chunk}}
            ) from None
    return sorted(set(days))
