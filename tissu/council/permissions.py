"""The council module's one permission gateway.

- The council is public: its rules, colleges, elections (calendar, candidacies, roll once published,
  results, ballots once the vote closed), plenary and bureau meetings with their published minutes, the
  list of working groups and the published consultations.
- The associations office configures the council, runs elections and meetings, records attendance and
  minutes. Bureau members (the representatives elected for the current mandate) accept proposed meeting
  items, approve minutes and answer consultations, like the office.
- An association's managers submit its candidacy, designate its voting representative and propose
  meeting items; only the designated representative votes.
- A working group's private space (documents, discussion, its meetings) is for its members and the office.
- Meeting documents are for the council's members (managers of associations), the bureau and city staff.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tissu.council import selectors
from tissu.council.models import (
    ActionItem,
    Candidacy,
    College,
    Consultation,
    Document,
    Election,
    Meeting,
    MeetingItem,
    WorkingGroup,
)
from tissu.directory.models import Association
from tissu.directory.permissions import is_manager, managed_associations


def is_office(user) -> bool:
    return user.is_authenticated and user.is_associations_office


def require_office(user) -> None:
    if not is_office(user):
        raise PermissionDenied


def is_bureau_or_office(user) -> bool:
    return is_office(user) or selectors.is_bureau_member(user)


def is_council_member(user) -> bool:
    """Managers of any association (every association is a member), the bureau and city staff."""
    if not user.is_authenticated:
        return False
    return user.is_city_staff or bool(managed_associations(user)) or selectors.is_bureau_member(user)


def _get_or_404(queryset, **lookup):
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404
    return found


def get_college_for_office(user, pk: int) -> College:
    require_office(user)
    return _get_or_404(College.objects.all(), pk=pk)


def get_association_for_office(user, slug: str) -> Association:
    require_office(user)
    return _get_or_404(Association.objects.all(), slug=slug)


def get_item_for_bureau(user, pk: int) -> MeetingItem:
    """An item proposed for a meeting, for the bureau and the office, who decide on it (404 before 403: an
    unknown number says nothing)."""
    item = _get_or_404(MeetingItem.objects.select_related("meeting"), pk=pk)
    if not is_bureau_or_office(user):
        raise PermissionDenied
    return item


def get_action_for_bureau(user, pk: int) -> ActionItem:
    action = _get_or_404(ActionItem.objects.select_related("meeting"), pk=pk)
    if not is_bureau_or_office(user):
        raise PermissionDenied
    return action


def get_election_for_user(user, pk: int, *, write: bool = False) -> Election:
    try:
        election = Election.objects.get(pk=pk)
    except Election.DoesNotExist:
        raise Http404 from None
    if write:
        require_office(user)
    return election


def get_managed_association(user, slug: str) -> Association:
    """An association this person manages (for candidacies and the voting representative)."""
    try:
        association = Association.objects.get(slug=slug)
    except Association.DoesNotExist:
        raise Http404 from None
    if not user.is_authenticated or not is_manager(user, association):
        raise PermissionDenied
    return association


def get_candidacy_for_user(user, pk: int) -> Candidacy:
    """A candidacy, for its association's managers (withdrawal)."""
    try:
        candidacy = Candidacy.objects.select_related("association", "election").get(pk=pk)
    except Candidacy.DoesNotExist:
        raise Http404 from None
    if not (user.is_authenticated and is_manager(user, candidacy.association)):
        raise PermissionDenied
    return candidacy


def can_see_meeting(user, meeting: Meeting) -> bool:
    if meeting.working_group_id is None:
        return True
    return is_office(user) or is_group_member(user, meeting.working_group)


def is_group_lead(user, group: WorkingGroup | None) -> bool:
    return group is not None and user.is_authenticated and group.members.filter(user=user, is_lead=True).exists()


def can_run_meeting(user, meeting: Meeting) -> bool:
    """Convene, record attendance, add documents, minutes and actions: the office; for a working group's
    meeting, also the people who lead the group."""
    return is_office(user) or (meeting.working_group_id is not None and is_group_lead(user, meeting.working_group))


def require_meeting_runner(user, meeting: Meeting) -> None:
    if not can_run_meeting(user, meeting):
        raise PermissionDenied


def get_meeting_for_user(user, pk: int, *, write: bool = False) -> Meeting:
    """A meeting: plenary and bureau meetings are public, group meetings for the group; write: the office
    (and a group's leads for its meetings)."""
    try:
        meeting = Meeting.objects.select_related("working_group").get(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404 from None
    if write:
        require_meeting_runner(user, meeting)
        return meeting
    if not can_see_meeting(user, meeting):
        raise PermissionDenied
    return meeting


def is_group_member(user, group: WorkingGroup) -> bool:
    return user.is_authenticated and group.members.filter(user=user).exists()


def get_group_for_user(user, pk: int, *, private: bool = False, write: bool = False) -> WorkingGroup:
    """A working group: its presentation is public; its private space for members and the office; write
    (members, meetings of the group): the office."""
    try:
        group = WorkingGroup.objects.get(pk=pk)
    except WorkingGroup.DoesNotExist:
        raise Http404 from None
    if write:
        require_office(user)
    elif private and not (is_office(user) or is_group_member(user, group)):
        raise PermissionDenied
    return group


def get_document_for_user(user, pk: int) -> Document:
    try:
        document = Document.objects.select_related("meeting__working_group", "working_group").get(pk=pk)
    except Document.DoesNotExist:
        raise Http404 from None
    group = document.working_group or (document.meeting.working_group if document.meeting else None)
    if group is not None:
        allowed = is_office(user) or is_group_member(user, group)
    else:
        allowed = is_council_member(user)
    if not allowed:
        raise PermissionDenied
    return document


def get_consultation_for_user(user, pk: int, *, answer: bool = False) -> Consultation:
    """Published consultations are public; unpublished ones for the bureau and city staff; answering for the
    bureau and the office."""
    try:
        consultation = Consultation.objects.get(pk=pk)
    except Consultation.DoesNotExist:
        raise Http404 from None
    insider = user.is_authenticated and (user.is_city_staff or selectors.is_bureau_member(user))
    if answer:
        if not is_bureau_or_office(user):
            raise PermissionDenied
    elif consultation.published_at is None and not insider:
        raise PermissionDenied if not user.is_authenticated else Http404
    return consultation


def can_ask_consultation(user) -> bool:
    """The city asks: the associations office or an elected official."""
    return user.is_authenticated and user.is_city_staff and (user.is_associations_office or _is_elected(user))


def _is_elected(user) -> bool:
    from tissu.accounts.models import StaffRole

    return user.has_role(StaffRole.ELECTED_OFFICIAL)
