"""Writes on associations and memberships shared by the directory's features.

Feature-specific services live beside this module: imports.py (RNA import), claims.py (claims,
invitations, memberships), profile.py (profile editing with provenance).
"""

import re
import unicodedata

from django.db import transaction
from django.utils import timezone

from tissu.directory import search
from tissu.directory.models import Association, Claim, ClaimStatus, Invitation, Membership, Theme

_family_cache: dict[str, str] = {}


def theme_family(code: str) -> str:
    """The family code of a theme code; '' for unknown codes (kept on the association, reported by the import)."""
    if not _family_cache:
        _family_cache.update(Theme.objects.values_list("code", "family_code"))
    return _family_cache.get(code, "")


def association_derived_fields(values: dict) -> dict:
    """Fields computed from others: theme families, search text and name. Used by every write path."""
    family_1 = theme_family(values.get("theme_1", ""))
    family_2 = theme_family(values.get("theme_2", ""))
    return {
        "family_1": family_1,
        "family_2": "" if family_2 == family_1 else family_2,
        "search_text": search.search_text(
            values.get("name", ""), values.get("short_name", ""), values.get("object", ""), values.get("keywords", "")
        ),
        "search_name": search.fold(values.get("name", ""))[:255],
    }


# Paths of /associations/ that a profile's /associations/<slug>/ must never shadow (see directory/urls.py).
RESERVED_SLUGS = frozenset(
    {"carte", "declarer", "donnees", "gestion", "invitation", "mes-associations", "revendications"}
)
_SLUG_DROP = re.compile(r"[^\w\s-]")
_SLUG_DASHES = re.compile(r"[-\s]+")


def slugify(value: str) -> str:
    """django.utils.text.slugify (ASCII) with its patterns compiled once and no lazy-string wrapper:
    the RNA import calls it for every new association."""
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    value = _SLUG_DROP.sub("", value.lower())
    return _SLUG_DASHES.sub("-", value).strip("-_")


def unique_slug(name: str, rna_id: str | None = None, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:60].strip("-") or "association"
    if rna_id:
        return f"{base}-{rna_id.lower()}"[:80]
    candidate, number = base, 1
    if candidate in RESERVED_SLUGS:
        number = 2
        candidate = f"{base}-{number}"
    while Association.objects.filter(slug=candidate).exclude(pk=exclude_pk).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


@transaction.atomic
def memberships_erase_for_user(user) -> None:
    """Account deletion: the person leaves every association (the associations themselves stay).

    Their pending claims are withdrawn, and the messages and supporting documents of all their claims
    erased (the claim rows stay, anonymous once the account is, for the office's history). Invitations
    sent to their address are revoked and lose the address.
    """
    Membership.objects.filter(user=user).delete()
    now = timezone.now()
    Claim.objects.filter(user=user, status=ClaimStatus.PENDING).update(status=ClaimStatus.WITHDRAWN, decided_at=now)
    documents = list(Claim.objects.filter(user=user).exclude(document="").values_list("document", flat=True))
    Claim.objects.filter(user=user).update(message="", document="")
    if documents:
        storage = Claim._meta.get_field("document").storage
        # Files are not transactional: delete them only once the erasure is committed.
        transaction.on_commit(lambda: [storage.delete(name) for name in documents])
    invitations = Invitation.objects.filter(email__iexact=user.email)
    invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    invitations.update(email="")
