"""The funding module's one permission gateway.

- The catalogue of aid schemes, the calls for projects and the grants decided are public.
- An application and an association's document vault belong to the association's managers (who write
  them) and the associations office (who reviews them); nobody else sees them.
- Review, decisions, payments and schemes are the office's (superusers count as such).
- The budget overview is for the office and elected officials; committee sessions for the office, elected
  officials and the session's members.
- Conflicts of interest: a committee member who belongs to an applicant association (any membership in the
  directory) or declared a link with it neither sees its scoring nor votes on it.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tissu.accounts.models import StaffRole
from tissu.directory.models import Association, Membership
from tissu.directory.permissions import is_manager, managed_associations
from tissu.funding.models import (
    AidScheme,
    CallForProjects,
    CommitteeMember,
    CommitteeSession,
    ConflictDeclaration,
    Document,
    GrantApplication,
    MultiYearAgreement,
)


def is_office(user) -> bool:
    return user.is_authenticated and user.is_associations_office


def is_elected(user) -> bool:
    return user.is_authenticated and user.has_role(StaffRole.ELECTED_OFFICIAL)


def require_office(user) -> None:
    if not is_office(user):
        raise PermissionDenied


def get_scheme_for_office(user, pk: int) -> AidScheme:
    require_office(user)
    scheme = AidScheme.objects.filter(pk=pk).first()
    if scheme is None:
        raise Http404
    return scheme


def get_call_for_office(user, pk: int) -> CallForProjects:
    require_office(user)
    call = CallForProjects.objects.filter(pk=pk).first()
    if call is None:
        raise Http404
    return call


def can_see_overview(user) -> bool:
    return is_office(user) or is_elected(user)


def get_managed_association(user, pk) -> Association:
    """An association this person manages (to apply or file documents in its name)."""
    for association in managed_associations(user):
        if str(association.pk) == str(pk):
            return association
    raise PermissionDenied


def can_manage_application(user, application: GrantApplication) -> bool:
    return is_manager(user, application.association)


def get_application_for_user(user, pk: int, *, write: bool = False) -> GrantApplication:
    """The application, or 404 if unknown; PermissionDenied unless its association's managers or (reading)
    the office. With write=True only the managers pass: the office never edits an association's file."""
    try:
        application = GrantApplication.objects.select_related("call__scheme", "association").get(pk=pk)
    except GrantApplication.DoesNotExist:
        raise Http404 from None
    if not user.is_authenticated:
        raise PermissionDenied
    if can_manage_application(user, application):
        return application
    if not write and is_office(user):
        return application
    raise PermissionDenied


def get_application_for_office(user, pk: int) -> GrantApplication:
    require_office(user)
    try:
        return GrantApplication.objects.select_related("call__scheme", "association").get(pk=pk)
    except GrantApplication.DoesNotExist:
        raise Http404 from None


def can_see_vault(user, association: Association) -> bool:
    return is_office(user) or is_manager(user, association)


def get_vault_for_user(user, slug: str, *, write: bool = False) -> Association:
    try:
        association = Association.objects.get(slug=slug)
    except Association.DoesNotExist:
        raise Http404 from None
    if not user.is_authenticated:
        raise PermissionDenied
    if is_manager(user, association) or (not write and is_office(user)):
        return association
    raise PermissionDenied


def get_document_for_user(user, pk: int) -> Document:
    """A vault document, for its association's managers and the office only (it may hold bank details)."""
    try:
        document = Document.objects.select_related("association").get(pk=pk)
    except Document.DoesNotExist:
        raise Http404 from None
    if not can_see_vault(user, document.association):
        raise PermissionDenied
    return document


def linked_association_ids(user, session: CommitteeSession | None = None) -> set[int]:
    """Associations this person is linked to: any membership, and links declared (in this session, or in
    any session when none is given)."""
    if not user.is_authenticated:
        return set()
    ids = set(Membership.objects.filter(user=user).values_list("association_id", flat=True))
    declared = ConflictDeclaration.objects.filter(member__user=user)
    if session is not None:
        declared = declared.filter(member__session=session)
    ids.update(declared.values_list("association_id", flat=True))
    return ids


def can_see_scoring(user, application: GrantApplication) -> bool:
    """The agent's opinion, proposed amount and scores: the office, unless linked to the applicant."""
    return is_office(user) and application.association_id not in linked_association_ids(user)


def session_member(user, session: CommitteeSession) -> CommitteeMember | None:
    if not user.is_authenticated:
        return None
    return CommitteeMember.objects.filter(session=session, user=user).first()


def get_session_for_user(user, pk: int, *, write: bool = False) -> CommitteeSession:
    try:
        session = CommitteeSession.objects.get(pk=pk)
    except CommitteeSession.DoesNotExist:
        raise Http404 from None
    if is_office(user):
        return session
    if write or not user.is_authenticated:
        raise PermissionDenied
    if is_elected(user) or session_member(user, session) is not None:
        return session
    raise PermissionDenied


def can_see_sessions(user) -> bool:
    return is_office(user) or is_elected(user) or (user.is_authenticated and user.has_role(StaffRole.COMMITTEE_MEMBER))


def get_agreement_for_user(user, pk: int) -> MultiYearAgreement:
    try:
        agreement = MultiYearAgreement.objects.select_related("association", "scheme").get(pk=pk)
    except MultiYearAgreement.DoesNotExist:
        raise Http404 from None
    if is_office(user) or is_elected(user) or is_manager(user, agreement.association):
        return agreement
    raise PermissionDenied


def is_manager_of(user, association: Association) -> bool:
    return is_manager(user, association)
