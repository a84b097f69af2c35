"""Reasons in words: the optimiser stores a structured reason per request (tissu.rooms.allocation.explain);
this turns it into a sentence in the reader's language (French or English, from the catalogues)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tissu.rooms.models import Weekday


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def weekday_name(weekday: int) -> str:
    return str(Weekday(weekday).label).lower()


def choice_name(rank: int) -> str:
    if rank == 0:
        return _("the acceptable alternative")
    return {1: _("choice 1"), 2: _("choice 2"), 3: _("choice 3")}[rank]


def option_label(rank: int, weekday: int, start: int) -> str:
    return _("%(choice)s (%(weekday)s %(start)s)") % {
        "choice": choice_name(rank),
        "weekday": weekday_name(weekday),
        "start": hhmm(start),
    }


PRIORITY_NAMES = {"youth": lambda: _("youth public"), "qpv": lambda: _("QPV association"),
                  "small": lambda: _("small association")}  # fmt: skip


def because_text(because: dict, rank: int | None = None) -> str:
    """Why an option was not granted (rank given: the sentence names the choice)."""
    code = because.get("code")
    subject = choice_name(rank) if rank is not None else ""
    if code == "taken":
        names = ", ".join(because["by"])
        if because.get("more"):
            names += " " + ngettext("and %(count)s other", "and %(count)s others", because["more"]) % {
                "count": because["more"]
            }
        priorities = ", ".join(PRIORITY_NAMES[p]() for p in because.get("priorities", []) if p in PRIORITY_NAMES)
        text = (
            _("%(choice)s is allocated to %(names)s") % {"choice": subject, "names": names}
            if subject
            else _("the rooms are allocated to %(names)s at that time") % {"names": names}
        )
        return text + (_(" (priority: %(priorities)s)") % {"priorities": priorities} if priorities else "")
    if code == "group_overlap":
        return _("%(choice)s would overlap another slot granted to the same group (%(group)s)") % {
            "choice": subject or _("this slot"),
            "group": because.get("group", ""),
        }
    if code == "objective":
        return _("%(choice)s was free but worth fewer points than the slot granted (last season's slot)") % {
            "choice": subject or _("this slot")
        }
    texts = {
        "forbidden": lambda: _("ruled out by the associations office"),
        "room_not_offered": lambda: _("the room asked for is not offered in this campaign"),
        "too_small": lambda: _("no room of %(participants)s places is offered") % because,
        "equipment": lambda: _("no room big enough has the equipment asked for"),
        "step_free": lambda: _("no suitable room is accessible to wheelchair users"),
        "outside_hours": lambda: (
            _("no suitable room is open on %(weekday)s from %(start)s to %(end)s")
            % {
                "weekday": weekday_name(because["weekday"]),
                "start": hhmm(because["start"]),
                "end": hhmm(because["end"]),
            }
        ),
        "closed": lambda: (
            _("the buildings are closed every %(weekday)s of the season")
            % {"weekday": weekday_name(because["weekday"])}
        ),
        "pinned_elsewhere": lambda: _("the associations office pinned the request to another slot"),
        "no_option": lambda: _("the request gives no slot"),
    }
    text = texts.get(code, lambda: _("no reason recorded"))()
    return f"{subject} : {text}" if subject else text


def reason_text(reason: dict) -> str:
    code = reason.get("code")
    if not code:
        return _("Not decided yet.")
    if code == "granted":
        if reason.get("pinned"):
            return _("Granted as set by the associations office: %(choice)s, %(room)s.") % {
                "choice": choice_name(reason["rank"]),
                "room": reason["room"],
            }
        text = _("Granted: %(choice)s, %(room)s.") % {"choice": choice_name(reason["rank"]), "room": reason["room"]}
        if "because" in reason:
            text += " " + _("Not better because %(why)s.") % {
                "why": because_text(reason["because"], reason.get("better_rank"))
            }
        return text
    return _("Refused: %(why)s.") % {
        "why": because_text(
            reason["because"], 1 if reason["because"].get("code") in ("taken", "group_overlap", "objective") else None
        )
    }
