"""The allocation committee: sessions, members, meeting items, votes, conflicts of interest, minutes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tissu.accounts.models import StaffRole
from tissu.city.permissions import associations_office_required
from tissu.directory.views_common import apply_errors, post_only, posted, render_form
from tissu.funding import permissions, selectors, services
from tissu.funding.forms import ConflictForm, ItemDecisionForm, MembersForm, MinutesForm, OpinionForm, SessionForm
from tissu.funding.models import MemberCapacity, Score, SessionItem


@login_required
@require_safe
def session_list(request):
    if not permissions.can_see_sessions(request.user):
        raise PermissionDenied
    return render(
        request,
        "funding/session_list.html",
        {"sessions": list(selectors.sessions_for_user(request.user)), "is_office": permissions.is_office(request.user)},
    )


@associations_office_required
@require_http_methods(["GET", "POST"])
def session_create(request):
    form = SessionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, values=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Session created. Choose its members."))
            return redirect("funding:session-members", session.pk)
    return render_form(request, "funding/session_form.html", {"form": form})


def _items(session, user):
    """Meeting items with what this person may see: scoring hidden, and no vote, where they are linked."""
    linked = permissions.linked_association_ids(user, session)
    member = permissions.session_member(user, session)
    items = list(
        session.items.select_related("application__association", "application__call__scheme").prefetch_related(
            "opinions__member__user"
        )
    )
    scores = {}
    for score in Score.objects.filter(application__in=[i.application_id for i in items]):
        scores[score.application_id] = scores.get(score.application_id, 0) + score.points
    rows = []
    for item in items:
        conflicted = item.application.association_id in linked
        mine = next((o for o in item.opinions.all() if member and o.member_id == member.pk), None)
        rows.append(
            {
                "item": item,
                "application": item.application,
                "conflicted": conflicted,
                "score": None if conflicted else scores.get(item.application_id),
                "opinions": [] if conflicted else list(item.opinions.all()),
                "mine": mine,
                "can_vote": member is not None and not conflicted and not item.recommendation,
            }
        )
    return rows, member


@login_required
@require_safe
def session_detail(request, pk):
    session = permissions.get_session_for_user(request.user, pk)
    rows, member = _items(session, request.user)
    associations = {row["application"].association for row in rows}
    return render(
        request,
        "funding/session_detail.html",
        {
            "session": session,
            "rows": rows,
            "member": member,
            "members": list(session.members.select_related("user").prefetch_related("conflicts__association")),
            "is_office": permissions.is_office(request.user),
            "opinion_form": OpinionForm(),
            "decision_form": ItemDecisionForm(),
            "conflict_form": ConflictForm(associations=sorted(associations, key=lambda a: a.name)) if member else None,
        },
    )


def _capacity(user) -> str:
    if user.has_role(StaffRole.ELECTED_OFFICIAL):
        return MemberCapacity.ELECTED
    if user.has_role(StaffRole.COMMITTEE_MEMBER):
        return MemberCapacity.COUNCIL
    return MemberCapacity.STAFF


@associations_office_required
@require_http_methods(["GET", "POST"])
def session_members(request, pk):
    session = permissions.get_session_for_user(request.user, pk, write=True)
    form = MembersForm(posted(request), initial={"members": [m.user_id for m in session.members.all()]})
    if request.method == "POST" and form.is_valid():
        members = [(user, _capacity(user)) for user in form.cleaned_data["members"]]
        try:
            services.session_set_members(actor=request.user, session=session, members=members)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Members saved."))
            return redirect("funding:session-detail", session.pk)
    return render_form(request, "funding/session_members.html", {"form": form, "session": session})


@login_required
def session_conflict(request, pk):
    session = permissions.get_session_for_user(request.user, pk)
    if permissions.session_member(request.user, session) is None:
        raise PermissionDenied
    if response := post_only(request):
        return response
    associations = {item.application.association for item in session.items.select_related("application__association")}
    form = ConflictForm(request.POST, associations=associations)
    if form.is_valid():
        association = next(a for a in associations if str(a.pk) == form.cleaned_data["association"])
        try:
            services.conflict_declare(
                actor=request.user, session=session, association=association, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Link declared: you will neither see the scoring nor vote on its application."))
    else:
        messages.error(request, _("Choose the association and say what links you to it."))
    return redirect("funding:session-detail", session.pk)


def _item(session, item_pk) -> SessionItem:
    try:
        return session.items.select_related("application").get(pk=item_pk)
    except SessionItem.DoesNotExist:
        raise Http404 from None


@login_required
def item_opinion(request, pk, item):
    session = permissions.get_session_for_user(request.user, pk)
    if permissions.session_member(request.user, session) is None:
        raise PermissionDenied
    if response := post_only(request):
        return response
    session_item = _item(session, item)
    form = OpinionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose your vote."))
        return redirect("funding:session-detail", session.pk)
    try:
        services.opinion_record(actor=request.user, item=session_item, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Vote recorded."))
    return redirect("funding:session-detail", session.pk)


@login_required
def item_decision(request, pk, item):
    session = permissions.get_session_for_user(request.user, pk, write=True)
    if response := post_only(request):
        return response
    session_item = _item(session, item)
    form = ItemDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the committee's decision."))
        return redirect("funding:session-detail", session.pk)
    try:
        services.item_record_decision(actor=request.user, item=session_item, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("funding:session-detail", session.pk)


@associations_office_required
@require_http_methods(["GET", "POST"])
def session_minutes(request, pk):
    session = permissions.get_session_for_user(request.user, pk, write=True)
    form = MinutesForm(posted(request), initial={"minutes": session.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            services.session_write_minutes(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Minutes saved."))
            return redirect("funding:session-detail", session.pk)
    return render_form(request, "funding/session_minutes.html", {"form": form, "session": session})


@login_required
@require_safe
def session_minutes_pdf(request, pk):
    """The minutes with the members, the meeting items and the decisions recorded (the votes' tally per item;
    who voted what stays on the page, for the members)."""
    from tissu.lib.pdf import pdf_response

    session = permissions.get_session_for_user(request.user, pk)
    items = []
    for item in session.items.select_related("application__association", "application__call__scheme").prefetch_related(
        "opinions"
    ):
        votes = [opinion.vote for opinion in item.opinions.all()]
        items.append({"item": item, "for": votes.count("for"), "against": votes.count("against"),
                      "abstain": votes.count("abstain")})  # fmt: skip
    return pdf_response(
        template="funding/pdf/minutes.html",
        context={
            "session": session,
            "items": items,
            "members": list(session.members.select_related("user").prefetch_related("conflicts__association")),
        },
        filename=f"compte-rendu-{session.title}",
    )


urlpatterns = [
    path("commission/", session_list, name="session-list"),
    path("commission/nouvelle/", session_create, name="session-create"),
    path("commission/<int:pk>/", session_detail, name="session-detail"),
    path("commission/<int:pk>/membres/", session_members, name="session-members"),
    path("commission/<int:pk>/conflit/", session_conflict, name="session-conflict"),
    path("commission/<int:pk>/points/<int:item>/avis/", item_opinion, name="item-opinion"),
    path("commission/<int:pk>/points/<int:item>/decision/", item_decision, name="item-decision"),
    path("commission/<int:pk>/compte-rendu/", session_minutes, name="session-minutes"),
    path("commission/<int:pk>/compte-rendu.pdf", session_minutes_pdf, name="session-minutes-pdf"),
]
