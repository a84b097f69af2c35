"""Sections other modules add to an association's public profile (events, missions, lendable equipment…).

A module registers a section once, from its AppConfig.ready()::

    from tissu.directory import profile_sections

    profile_sections.register(
        key="events",
        title=gettext_lazy("Upcoming events"),
        template="agenda/includes/profile_events.html",   # receives `association`, `section` and `items`
        items=selectors.upcoming_events_of,                 # (association, user) -> a list, in one query
        order=10,
    )

The profile shows a section only when its list is not empty: no "coming soon" placeholder.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class ProfileSection:
    key: str
    title: str | Promise
    template: str
    items: Callable[..., Sequence]
    order: int = 100


_sections: dict[str, ProfileSection] = {}


def register(*, key: str, title, template: str, items: Callable[..., Sequence], order: int = 100) -> ProfileSection:
    """Add (or replace, for the same key) a section of the public profile."""
    section = ProfileSection(key=key, title=title, template=template, items=items, order=order)
    _sections[key] = section
    return section


def unregister(key: str) -> None:
    _sections.pop(key, None)


def registered() -> list[ProfileSection]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))


def sections_for(association, user) -> list[dict]:
    """The sections that have something to show for this association and this visitor."""
    shown = []
    for section in registered():
        items = list(section.items(association, user))
        if items:
            shown.append({"key": section.key, "title": section.title, "template": section.template, "items": items})
    return shown
