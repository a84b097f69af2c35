"""Council views: meetings (plenary, bureau, working groups), working groups' spaces and consultations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tissu.accounts.models import User
from tissu.council import permissions, selectors, services
from tissu.council.forms import (
    ActionForm,
    AnswerForm,
    AttendanceForm,
    ConsultationForm,
    DocumentForm,
    GroupForm,
    GroupMemberForm,
    ItemForm,
    MeetingForm,
    MessageForm,
    MinutesForm,
)
from tissu.council.models import (
    ActionItem,
    Consultation,
    Meeting,
    MeetingItem,
    MeetingKind,
    WorkingGroup,
    WorkingGroupMember,
)
from tissu.directory.views_common import apply_errors, post_only, posted, posted_files, render_form

# ---------------------------------------------------------------------------------------------------------
# Meetings


@require_safe
def meeting_list(request):
    page = Paginator(selectors.public_meetings(), 30).get_page(request.GET.get("page"))
    return render(
        request, "council/meeting_list.html", {"page": page, "is_office": permissions.is_office(request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk=None):
    meeting = permissions.get_meeting_for_user(request.user, pk, write=True) if pk else None
    # The office plans every meeting; a group's leads plan their group's meetings only.
    led = (
        WorkingGroup.objects.none()
        if permissions.is_office(request.user)
        else WorkingGroup.objects.filter(members__user=request.user, members__is_lead=True, is_active=True)
    )
    if not permissions.is_office(request.user) and not led.exists():
        raise PermissionDenied
    initial = {}
    if meeting is None and request.GET.get("groupe", "").isdigit():
        initial = {"kind": MeetingKind.GROUP, "working_group": int(request.GET["groupe"])}
    form = MeetingForm(posted(request), instance=meeting, initial=initial, led_groups=led)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.meeting_save(actor=request.user, meeting=meeting, values=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect("council:meeting-detail", saved.pk)
    return render_form(request, "council/meeting_form.html", {"form": form, "meeting": meeting})


@require_safe
def meeting_detail(request, pk):
    meeting = permissions.get_meeting_for_user(request.user, pk)
    is_office = permissions.is_office(request.user)
    bureau = permissions.is_bureau_or_office(request.user)
    items = list(meeting.items.select_related("proposed_by"))
    return render(
        request,
        "council/meeting_detail.html",
        {
            "meeting": meeting,
            "is_office": is_office,
            "can_run": permissions.can_run_meeting(request.user, meeting),
            "is_bureau": bureau,
            "accepted": [i for i in items if i.status == "accepted"],
            "proposed": [i for i in items if i.status == "proposed"] if bureau else [],
            "attendances": list(meeting.attendances.select_related("association")),
            "documents": list(meeting.documents.all()) if permissions.is_council_member(request.user) else None,
            "actions": list(meeting.action_items.all()),
            "followed": list(selectors.open_actions_before(meeting)),
            "can_propose": bool(permissions.managed_associations(request.user)),
        },
    )


def _post_action(request, run, success, target):
    if (refused := post_only(request)) is not None:
        return refused
    try:
        run()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(*target)


@login_required
def meeting_convene(request, pk):
    meeting = permissions.get_meeting_for_user(request.user, pk, write=True)
    return _post_action(
        request,
        lambda: services.meeting_convene(actor=request.user, meeting=meeting),
        _("The convocation was sent."),
        ("council:meeting-detail", meeting.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_propose(request, pk):
    meeting = permissions.get_meeting_for_user(request.user, pk)
    associations = permissions.managed_associations(request.user)
    if not associations or meeting.kind == MeetingKind.GROUP:
        raise PermissionDenied
    form = ItemForm(posted(request), associations=associations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.item_propose(
                actor=request.user,
                meeting=meeting,
                association=data["association"],
                title=data["title"],
                description=data["description"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Your item is proposed: the bureau will say whether it is on the meeting items.")
            )
            return redirect("council:meeting-detail", meeting.pk)
    return render_form(request, "council/item_form.html", {"form": form, "meeting": meeting})


@login_required
def item_decide(request, pk, action):
    if action not in ("accept", "decline"):
        raise Http404
    item = permissions.get_item_for_bureau(request.user, pk)
    return _post_action(
        request,
        lambda: services.item_decide(actor=request.user, item=item, accept=action == "accept"),
        _("The item was decided."),
        ("council:meeting-detail", item.meeting_id),
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request, pk):
    meeting = permissions.get_meeting_for_user(request.user, pk, write=True)
    form = AttendanceForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.attendance_record(actor=request.user, meeting=meeting, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Attendance recorded."))
            return redirect("council:attendance", meeting.pk)
    return render_form(
        request,
        "council/attendance_form.html",
        {"form": form, "meeting": meeting, "attendances": meeting.attendances.select_related("association")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request, pk):
    meeting = permissions.get_meeting_for_user(request.user, pk, write=True)
    form = DocumentForm(posted(request), posted_files(request))
    if request.method == "POST" and form.is_valid():
        services.document_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        messages.success(request, _("The document was added."))
        return redirect("council:meeting-detail", meeting.pk)
    return render_form(request, "council/document_form.html", {"form": form, "meeting": meeting})


@login_required
@require_safe
def document_download(request, pk):
    document = permissions.get_document_for_user(request.user, pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1])


@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request, pk):
    meeting = permissions.get_meeting_for_user(request.user, pk, write=True)
    form = MinutesForm(posted(request), initial={"minutes": meeting.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_save(actor=request.user, meeting=meeting, minutes=form.cleaned_data["minutes"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The draft minutes were saved: the bureau may approve them."))
            return redirect("council:meeting-detail", meeting.pk)
    return render_form(request, "council/minutes_form.html", {"form": form, "meeting": meeting})


@login_required
def minutes_act(request, pk, action):
    meeting = permissions.get_meeting_for_user(request.user, pk)
    if action == "approuver":
        if not permissions.is_bureau_or_office(request.user):
            raise PermissionDenied
        run, success = lambda: services.minutes_approve(actor=request.user, meeting=meeting), _("Minutes approved.")
    elif action == "publier":
        permissions.require_office(request.user)
        run, success = (
            lambda: services.minutes_publish(actor=request.user, meeting=meeting),
            _("Minutes published and sent to the associations."),
        )
    else:
        raise Http404
    return _post_action(request, run, success, ("council:meeting-detail", meeting.pk))


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request, pk):
    meeting = permissions.get_meeting_for_user(request.user, pk, write=True)
    form = ActionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.action_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        messages.success(request, _("The action was added."))
        return redirect("council:meeting-detail", meeting.pk)
    return render_form(request, "council/action_form.html", {"form": form, "meeting": meeting})


@login_required
def action_done(request, pk):
    action = permissions.get_action_for_bureau(request.user, pk)
    target = request.POST.get("meeting", "")
    return _post_action(
        request,
        lambda: services.action_done(actor=request.user, action=action),
        _("The action is marked as done."),
        ("council:meeting-detail", int(target) if target.isdigit() else action.meeting_id),
    )


@login_required
@require_safe
def bureau_space(request):
    """The bureau's workspace: what waits for it (items to decide, minutes to approve, actions, questions
    of the city), for the bureau's members and the office."""
    if not permissions.is_bureau_or_office(request.user):
        raise PermissionDenied
    now = timezone.now()
    return render(
        request,
        "council/bureau_space.html",
        {
            "bureau": selectors.bureau(),
            "meetings": selectors.public_meetings().filter(starts_at__gte=now).order_by("starts_at", "id")[:10],
            "items": MeetingItem.objects.filter(status="proposed", meeting__starts_at__gte=now)
            .select_related("meeting", "proposed_by")
            .order_by("meeting__starts_at", "id"),
            "drafts": Meeting.objects.filter(minutes_status="draft").order_by("-starts_at"),
            "actions": ActionItem.objects.filter(done_at__isnull=True, meeting__working_group__isnull=True)
            .select_related("meeting")
            .order_by("due_on", "id"),
            "consultations": Consultation.objects.filter(published_at__isnull=True).order_by("answer_due_on", "id"),
            "is_bureau": True,
        },
    )


# ---------------------------------------------------------------------------------------------------------
# Working groups


@require_safe
def group_list(request):
    return render(
        request,
        "council/group_list.html",
        {
            "groups": WorkingGroup.objects.filter(is_active=True),
            "mine": set(selectors.groups_of(request.user).values_list("pk", flat=True)),
            "is_office": permissions.is_office(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request, pk=None):
    group = permissions.get_group_for_user(request.user, pk, write=True) if pk else None
    permissions.require_office(request.user)
    form = GroupForm(posted(request), instance=group)
    if request.method == "POST" and form.is_valid():
        saved = services.group_save(actor=request.user, group=group, **form.cleaned_data)
        messages.success(request, _("The working group was saved."))
        return redirect("council:group-space", saved.pk)
    return render_form(request, "council/group_form.html", {"form": form, "group": group})


@login_required
@require_http_methods(["GET", "POST"])
def group_space(request, pk):
    """The private space: members, documents, the discussion, the group's meetings."""
    group = permissions.get_group_for_user(request.user, pk, private=True)
    form = MessageForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.group_message_post(actor=request.user, group=group, body=form.cleaned_data["body"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("council:group-space", group.pk)
    return render(
        request,
        "council/group_space.html",
        {
            "group": group,
            "form": form,
            "members": group.members.select_related("user", "association").order_by("user__full_name"),
            "documents": group.documents.all(),
            "posts": group.messages.select_related("author").order_by("-created_at")[:100],
            "meetings": group.meetings.all(),
            "document_form": DocumentForm(),
            "is_office": permissions.is_office(request.user),
            "is_lead": permissions.is_group_lead(request.user, group),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def group_document_upload(request, pk):
    group = permissions.get_group_for_user(request.user, pk, private=True)
    if (refused := post_only(request)) is not None:
        return refused
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        services.document_add(actor=request.user, group=group, **form.cleaned_data)
        messages.success(request, _("The document was added."))
    else:
        messages.error(request, _("Give the document a title and a file."))
    return redirect("council:group-space", group.pk)


@login_required
@require_http_methods(["GET", "POST"])
def group_members(request, pk):
    group = permissions.get_group_for_user(request.user, pk, write=True)
    form = GroupMemberForm(posted(request))
    if request.method == "POST" and request.POST.get("remove", "").isdigit():
        member = WorkingGroupMember.objects.filter(group=group, pk=int(request.POST["remove"])).first()
        if member:
            services.group_member_remove(actor=request.user, member=member)
            messages.success(request, _("The member was removed."))
        return redirect("council:group-members", group.pk)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
        if user is None:
            form.add_error("email", _("No account uses this email."))
        else:
            try:
                services.group_member_add(
                    actor=request.user, group=group, user=user, is_lead=form.cleaned_data["is_lead"]
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The member was added."))
                return redirect("council:group-members", group.pk)
    return render_form(
        request,
        "council/group_members.html",
        {"form": form, "group": group, "members": group.members.select_related("user").order_by("user__full_name")},
    )


# ---------------------------------------------------------------------------------------------------------
# Consultations


@require_safe
def consultation_list(request):
    insider = request.user.is_authenticated and (request.user.is_city_staff or selectors.is_bureau_member(request.user))
    consultations = Consultation.objects.all() if insider else selectors.published_consultations()
    return render(
        request,
        "council/consultation_list.html",
        {
            "consultations": consultations,
            "can_ask": permissions.can_ask_consultation(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_create(request):
    if not permissions.can_ask_consultation(request.user):
        raise PermissionDenied
    form = ConsultationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_ask(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The bureau is asked: its members received the question by email."))
            return redirect("council:consultation-detail", consultation.pk)
    return render_form(request, "council/consultation_form.html", {"form": form})


@require_safe
def consultation_detail(request, pk):
    consultation = permissions.get_consultation_for_user(request.user, pk)
    return render(
        request,
        "council/consultation_detail.html",
        {
            "consultation": consultation,
            "can_answer": permissions.is_bureau_or_office(request.user) and consultation.published_at is None,
            "is_office": permissions.is_office(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_answer(request, pk):
    consultation = permissions.get_consultation_for_user(request.user, pk, answer=True)
    form = AnswerForm(posted(request), initial={"answer": consultation.answer})
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_answer(
                actor=request.user, consultation=consultation, answer=form.cleaned_data["answer"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The bureau's answer is recorded."))
            return redirect("council:consultation-detail", consultation.pk)
    return render_form(request, "council/answer_form.html", {"form": form, "consultation": consultation})


@login_required
def consultation_publish(request, pk):
    consultation = permissions.get_consultation_for_user(request.user, pk, answer=True)
    permissions.require_office(request.user)
    return _post_action(
        request,
        lambda: services.consultation_publish(actor=request.user, consultation=consultation),
        _("The consultation and the bureau's answer are published."),
        ("council:consultation-detail", consultation.pk),
    )


urlpatterns = [
    path("reunions/", meeting_list, name="meeting-list"),
    path("reunions/nouvelle/", meeting_edit, name="meeting-create"),
    path("reunions/<int:pk>/", meeting_detail, name="meeting-detail"),
    path("reunions/<int:pk>/modifier/", meeting_edit, name="meeting-edit"),
    path("reunions/<int:pk>/convoquer/", meeting_convene, name="meeting-convene"),
    path("reunions/<int:pk>/proposer/", item_propose, name="item-propose"),
    path("points/<int:pk>/<slug:action>/", item_decide, name="item-decide"),
    path("reunions/<int:pk>/presences/", attendance, name="attendance"),
    path("reunions/<int:pk>/documents/", document_upload, name="document-upload"),
    path("documents/<int:pk>/", document_download, name="document-download"),
    path("reunions/<int:pk>/compte-rendu/", minutes_edit, name="minutes-edit"),
    path("reunions/<int:pk>/compte-rendu/<slug:action>/", minutes_act, name="minutes-act"),
    path("reunions/<int:pk>/actions/", action_create, name="action-create"),
    path("actions/<int:pk>/fait/", action_done, name="action-done"),
    path("bureau/", bureau_space, name="bureau-space"),
    path("groupes/", group_list, name="group-list"),
    path("groupes/nouveau/", group_edit, name="group-create"),
    path("groupes/<int:pk>/modifier/", group_edit, name="group-edit"),
    path("groupes/<int:pk>/", group_space, name="group-space"),
    path("groupes/<int:pk>/documents/", group_document_upload, name="group-document-upload"),
    path("groupes/<int:pk>/membres/", group_members, name="group-members"),
    path("consultations/", consultation_list, name="consultation-list"),
    path("consultations/nouvelle/", consultation_create, name="consultation-create"),
    path("consultations/<int:pk>/", consultation_detail, name="consultation-detail"),
    path("consultations/<int:pk>/reponse/", consultation_answer, name="consultation-answer"),
    path("consultations/<int:pk>/publier/", consultation_publish, name="consultation-publish"),
]
