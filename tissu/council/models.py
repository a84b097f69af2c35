"""The council of associations (CLVA): its configuration, its elections, its meetings, working groups and
the city's consultations of its bureau.

Secrecy of the vote (read before changing Ballot or BallotChoice):
- Participation records that an association voted (unique per election: no double vote, even under
  parallel requests: the database refuses the second row). It says nothing of the choice.
- Ballot and BallotChoice hold the choice and nothing that leads back to the voter: no foreign key to the
  association, the roll or a user; random UUID primary keys (a sequential id would follow the order of
  Participation rows and of the audit log, so sorting both would pair ballots with voters); no created_at
  for the same reason. Lists of ballots are always ordered by their random receipt code.
- Both rows are written in the same transaction (services.ballot_cast): a ballot exists if and only if its
  association's participation does.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tissu.directory.models import Association, Theme
from tissu.lib.storage import private_storage

# ---------------------------------------------------------------------------------------------------------
# Configuration


class CouncilSettings(models.Model):
    """The council's rules, one row (pk=1) edited by the associations office."""

    name = models.CharField(_("name"), max_length=200, default="Conseil local de la vie associative")
    mandate_years = models.PositiveSmallIntegerField(_("mandate length (years)"), default=2)
    rules = models.TextField(_("rules"), blank=True, help_text=_("Markdown."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("council settings")
        verbose_name_plural = _("council settings")

    def __str__(self):
        return self.name


class College(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    substitute_seats = models.PositiveSmallIntegerField(_("substitute seats"), default=0)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    themes = models.ManyToManyField(
        Theme, through="CollegeTheme", verbose_name=_("theme families"), blank=True, related_name="+"
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("college")
        verbose_name_plural = _("colleges")

    def __str__(self):
        return self.name


class CollegeTheme(models.Model):
    """A theme family of the national nomenclature places its associations in one college only."""

    college = models.ForeignKey(College, on_delete=models.CASCADE, related_name="theme_links")
    theme = models.OneToOneField(Theme, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("theme of a college")
        verbose_name_plural = _("themes of colleges")

    def __str__(self):
        return f"{self.college} – {self.theme_id}"


class CollegeOverride(models.Model):
    """The office places one association in a college other than its themes' (or places an unthemed one)."""

    association = models.OneToOneField(Association, on_delete=models.CASCADE, related_name="council_override")
    college = models.ForeignKey(College, on_delete=models.CASCADE, related_name="overrides")
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("college override")
        verbose_name_plural = _("college overrides")

    def __str__(self):
        return f"{self.association} → {self.college}"


class VotingRepresentative(models.Model):
    """The one person who votes for an association, designated by its managers."""

    association = models.OneToOneField(Association, on_delete=models.CASCADE, related_name="voting_representative")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="council_votes_for")
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    designated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("voting representative")
        verbose_name_plural = _("voting representatives")

    def __str__(self):
        return f"{self.association}"


# ---------------------------------------------------------------------------------------------------------
# Elections


class TieBreak(models.TextChoices):
    DRAW = "draw", _("public draw (seed published before the vote)")
    OLDEST = "oldest", _("the oldest association (creation date in the national register)")


class Phase(models.TextChoices):
    UPCOMING = "upcoming", _("upcoming")
    CANDIDACY = "candidacy", _("candidacy period")
    CAMPAIGN = "campaign", _("campaign")
    VOTING = "voting", _("voting period")
    CLOSED = "closed", _("voting closed, count pending")
    COUNTED = "counted", _("results published")


def _draw_seed() -> str:
    return secrets.token_hex(8)


class Election(models.Model):
    title = models.CharField(_("title"), max_length=200)
    candidacy_opens_at = models.DateTimeField(_("candidacies open on"))
    candidacy_closes_at = models.DateTimeField(_("candidacies close on"))
    voting_opens_at = models.DateTimeField(_("voting opens on"), help_text=_("The campaign runs until then."))
    voting_closes_at = models.DateTimeField(_("voting closes on"))
    mandate_starts_on = models.DateField(_("mandate starts on"))
    mandate_ends_on = models.DateField(_("mandate ends on"))
    # Fixed when the election is created, shown on its page: it cannot change once voting has opened.
    tie_break = models.CharField(_("tie-break rule"), max_length=10, choices=TieBreak, default=TieBreak.DRAW)
    tie_break_seed = models.CharField(_("draw seed"), max_length=64, default=_draw_seed)
    roll_published_at = models.DateTimeField(_("electoral roll published on"), null=True, blank=True)
    counted_at = models.DateTimeField(_("counted on"), null=True, blank=True)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-voting_opens_at"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        constraints = [
            models.CheckConstraint(
                condition=Q(candidacy_opens_at__lt=models.F("candidacy_closes_at"))
                & Q(candidacy_closes_at__lte=models.F("voting_opens_at"))
                & Q(voting_opens_at__lt=models.F("voting_closes_at")),
                name="council_election_calendar_order",
                violation_error_message=_(
                    "The calendar runs in this order: candidacies open, candidacies close, voting opens, voting closes."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def phase(self, now=None) -> str:
        now = now or timezone.now()
        if self.counted_at:
            return Phase.COUNTED
        if now < self.candidacy_opens_at:
            return Phase.UPCOMING
        if now < self.candidacy_closes_at:
            return Phase.CANDIDACY
        if now < self.voting_opens_at:
            return Phase.CAMPAIGN
        if now < self.voting_closes_at:
            return Phase.VOTING
        return Phase.CLOSED

    def get_phase_display(self) -> str:
        return Phase(self.phase()).label


class RollEntry(models.Model):
    """The electoral roll, written when the office publishes it: the association and its college."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="roll")
    college = models.ForeignKey(College, on_delete=models.PROTECT, related_name="+")
    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="council_roll_entries")

    class Meta:
        verbose_name = _("roll entry")
        verbose_name_plural = _("electoral roll")
        constraints = [
            models.UniqueConstraint(fields=["election", "association"], name="council_roll_once"),
        ]

    def __str__(self):
        return f"{self.election} – {self.association}"


class Participation(models.Model):
    """That an association voted in an election, and nothing about its choice (see the module docstring).

    The unique constraint is what makes a second ballot impossible, also when two requests race."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="participations")
    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["election", "association"], name="council_one_vote_per_association"),
        ]

    def __str__(self):
        return f"{self.election_id}/{self.association_id}"


class CandidacyStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Candidacy(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidacies")
    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="council_candidacies")
    college = models.ForeignKey(College, on_delete=models.PROTECT, related_name="candidacies")
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("representative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_candidacies",
    )
    representative_name = models.CharField(_("name of the representative"), max_length=200)
    statement = models.TextField(_("statement"))
    status = models.CharField(_("status"), max_length=10, choices=CandidacyStatus, default=CandidacyStatus.SUBMITTED)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["college__position", "association__search_name"]
        verbose_name = _("candidacy")
        verbose_name_plural = _("candidacies")
        constraints = [
            models.UniqueConstraint(
                fields=["election", "association"],
                condition=Q(status="submitted"),
                name="council_one_candidacy_per_association",
            ),
        ]

    def __str__(self):
        return f"{self.association} ({self.election})"


def _receipt_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed without confusion
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class Ballot(models.Model):
    """A ballot in the ballot box: no voter, no time, no sequence (see the module docstring)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballots")
    college = models.ForeignKey(College, on_delete=models.PROTECT, related_name="+")
    receipt_code = models.CharField(_("receipt code"), max_length=14, unique=True, default=_receipt_code)
    is_blank = models.BooleanField(_("blank ballot"), default=False)

    class Meta:
        ordering = ["receipt_code"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self):
        return self.receipt_code


class BallotChoice(models.Model):
    """One name on a ballot. UUID key for the same reason as Ballot's."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    candidacy = models.ForeignKey(Candidacy, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "candidacy"], name="council_one_name_once")]

    def __str__(self):
        return str(self.candidacy_id)


class Outcome(models.TextChoices):
    TITULAR = "titular", _("elected (seat)")
    SUBSTITUTE = "substitute", _("elected (substitute seat)")
    NOT_ELECTED = "not_elected", _("not elected")


class CollegeResult(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="college_results")
    college = models.ForeignKey(College, on_delete=models.PROTECT, related_name="+")
    registered = models.PositiveIntegerField(_("registered"))
    voted = models.PositiveIntegerField(_("voted"))
    blank = models.PositiveIntegerField(_("blank ballots"))

    class Meta:
        ordering = ["college__position", "college__name"]
        constraints = [models.UniqueConstraint(fields=["election", "college"], name="council_one_result_per_college")]

    def __str__(self):
        return f"{self.election_id}/{self.college_id}"

    @property
    def turnout(self) -> float:
        return self.voted / self.registered if self.registered else 0.0


class CandidacyResult(models.Model):
    candidacy = models.OneToOneField(Candidacy, on_delete=models.CASCADE, related_name="result")
    votes = models.PositiveIntegerField(_("votes"))
    rank = models.PositiveIntegerField(_("rank"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome)
    tie_broken = models.BooleanField(_("placed by the tie-break rule"), default=False)

    class Meta:
        ordering = ["rank"]

    def __str__(self):
        return f"{self.candidacy_id}: {self.votes}"


# ---------------------------------------------------------------------------------------------------------
# Working groups (before meetings: a meeting may belong to one)


class WorkingGroup(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self):
        return self.name


class WorkingGroupMember(models.Model):
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="council_groups")
    association = models.ForeignKey(Association, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_lead = models.BooleanField(_("leads the group"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="council_group_member_once")]

    def __str__(self):
        return f"{self.group_id}/{self.user_id}"


class GroupMessage(models.Model):
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.group_id}/{self.pk}"


# ---------------------------------------------------------------------------------------------------------
# Meetings


class MeetingKind(models.TextChoices):
    PLENARY = "plenary", _("plenary")
    BUREAU = "bureau", _("bureau meeting")
    GROUP = "group", _("working group meeting")


class MinutesStatus(models.TextChoices):
    NONE = "none", _("not written")
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved by the bureau")
    PUBLISHED = "published", _("published")


class Meeting(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=MeetingKind)
    working_group = models.ForeignKey(
        WorkingGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=255)
    invited_speaker = models.CharField(_("invited speaker"), max_length=255, blank=True)
    convened_at = models.DateTimeField(_("convocation sent on"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True, help_text=_("Markdown."))
    minutes_status = models.CharField(max_length=10, choices=MinutesStatus, default=MinutesStatus.NONE)
    minutes_approved_at = models.DateTimeField(null=True, blank=True)
    minutes_published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="group", working_group__isnull=False)
                | (~Q(kind="group") & Q(working_group__isnull=True)),
                name="council_group_meeting_has_group",
            )
        ]

    def __str__(self):
        return self.title


class ItemStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ACCEPTED = "accepted", _("on the meeting items")
    DECLINED = "declined", _("declined")


class MeetingItem(models.Model):
    """A point of the meeting items (ordre du jour), proposed by an association or set by the office."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    proposed_by = models.ForeignKey(Association, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=ItemStatus, default=ItemStatus.PROPOSED)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "created_at", "id"]

    def __str__(self):
        return self.title


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("present")
    EXCUSED = "excused", _("excused")
    REPRESENTED = "represented", _("represented")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    association = models.ForeignKey(Association, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person_name = models.CharField(_("name"), max_length=200)
    status = models.CharField(_("attendance"), max_length=12, choices=AttendanceStatus)
    represented_by = models.CharField(_("represented by"), max_length=200, blank=True)

    class Meta:
        ordering = ["person_name", "id"]

    def __str__(self):
        return self.person_name


def _document_path(instance, filename: str) -> str:
    return f"council/documents/{uuid.uuid4().hex}/{filename}"


class Document(models.Model):
    """A file of a meeting or of a working group's private space: served only through a checked view."""

    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="documents")
    working_group = models.ForeignKey(
        WorkingGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_document_path, storage=private_storage)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=False, working_group__isnull=True)
                | Q(meeting__isnull=True, working_group__isnull=False),
                name="council_document_has_one_place",
            )
        ]

    def __str__(self):
        return self.title


class ActionItem(models.Model):
    """A decision to act, with an owner and a due date, followed from meeting to meeting until done."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    title = models.CharField(_("action"), max_length=255)
    owner = models.CharField(_("owner"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.title


# ---------------------------------------------------------------------------------------------------------
# Consultations


class ParticipationLevel(models.TextChoices):
    INFORMATION = "information", _("information")
    CONSULTATION = "consultation", _("consultation")
    CONCERTATION = "concertation", _("concertation")


class Consultation(models.Model):
    """The city asks the bureau's opinion on a topic, at a declared level of participation."""

    title = models.CharField(_("topic"), max_length=200)
    question = models.TextField(_("what the city asks"))
    level = models.CharField(_("level of participation"), max_length=14, choices=ParticipationLevel)
    answer_due_on = models.DateField(_("answer expected by"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    asked_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(_("the bureau's answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-asked_at"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self):
        return self.title
