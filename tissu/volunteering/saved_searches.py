"""Saved searches: a volunteer keeps a mission search, and new missions matching it are emailed to them.

The search is stored as its canonical query string (what the list's URL would hold), so a saved search
is the list page itself, and the emails link to it. `manage.py volunteering_send_saved_searches`, daily,
sends each search the missions published since its last email; it is idempotent (each search remembers
up to when it was served).
"""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from tissu.volunteering import emails, selectors
from tissu.volunteering.forms import MissionSearchForm
from tissu.volunteering.models import SavedSearch

MAX_PER_PERSON = 10


def canonical_query(query: str) -> str:
    filters = MissionSearchForm(QueryDict(query)).filters()
    pairs = [("q", filters.q)] if filters.q else []
    pairs += [("skill", value) for value in sorted(filters.skills)]
    pairs += [("cause", value) for value in sorted(filters.causes)]
    pairs += [("type", value) for value in sorted(filters.types)]
    pairs += [("neighbourhood", value) for value in sorted(filters.neighbourhoods)]
    pairs += [("public", value) for value in sorted(filters.publics)]
    if filters.remote:
        pairs.append(("remote", "on"))
    return urlencode(pairs)


def filters_of(saved: SavedSearch):
    return MissionSearchForm(QueryDict(saved.query)).filters()


@transaction.atomic
def saved_search_create(*, user, query: str) -> SavedSearch:
    query = canonical_query(query)
    existing = SavedSearch.objects.filter(user=user, query=query).first()
    if existing is not None:
        return existing
    if SavedSearch.objects.filter(user=user).count() >= MAX_PER_PERSON:
        raise ValidationError(_("Ten saved searches at most: delete one first."))
    saved = SavedSearch(user=user, query=query, notified_until=timezone.now())
    saved.full_clean()
    try:
        with transaction.atomic():
            saved.save()
    except IntegrityError:
        return SavedSearch.objects.get(user=user, query=query)
    return saved


@transaction.atomic
def saved_search_delete(*, user, saved: SavedSearch) -> None:
    SavedSearch.objects.filter(pk=saved.pk, user=user).delete()


def saved_searches_send(*, now=None) -> int:
    """Email each saved search the missions published since its last email; returns the emails sent."""
    now = now or timezone.now()
    sent = 0
    searches = SavedSearch.objects.filter(
        notified_until__lt=now, user__is_active=True, user__deleted_at__isnull=True
    ).select_related("user")
    for saved in searches:
        with transaction.atomic():
            locked = SavedSearch.objects.select_for_update().filter(pk=saved.pk, notified_until=saved.notified_until)
            if not locked.exists():
                continue  # another run served it meanwhile
            missions = list(
                selectors.mission_search(filters=filters_of(saved)).filter(
                    published_at__gt=saved.notified_until, published_at__lte=now
                )[:20]
            )
            locked.update(notified_until=now)
            if missions:
                emails.send_saved_search_results(saved=saved, missions=missions)
                sent += 1
    return sent


def saved_searches_erase(user) -> None:
    SavedSearch.objects.filter(user=user).delete()


def saved_searches_export(user) -> list[dict]:
    return [
        {"search": saved.query, "created_at": saved.created_at.isoformat()}
        for saved in SavedSearch.objects.filter(user=user)
    ]


def describe(saved: SavedSearch) -> str:
    """The search in words, for the list of saved searches and the emails."""
    from tissu.directory.models import Neighbourhood, Theme
    from tissu.volunteering.models import MissionType, Public, Skill

    filters = filters_of(saved)
    parts = [f"« {filters.q} »"] if filters.q else []
    if filters.skills:
        parts += list(Skill.objects.filter(slug__in=filters.skills).values_list("name", flat=True))
    if filters.causes:
        parts += list(Theme.objects.filter(code__in=filters.causes).values_list("label", flat=True))
    if filters.neighbourhoods:
        parts += list(Neighbourhood.objects.filter(slug__in=filters.neighbourhoods).values_list("name", flat=True))
    types, publics = dict(MissionType.choices), dict(Public.choices)
    parts += [str(types[value]) for value in filters.types if value in types]
    parts += [str(publics[value]) for value in filters.publics if value in publics]
    if filters.remote:
        parts.append(str(_("remote")))
    return " · ".join(parts) or str(_("every new mission"))
