"""Council views: the public page, the configuration by the office, and elections."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tissu.council import permissions, selectors, services
from tissu.council.forms import (
    BallotForm,
    CandidacyForm,
    CollegeForm,
    CouncilSettingsForm,
    ElectionForm,
    OverrideForm,
    RepresentativeForm,
)
from tissu.council.models import Ballot, College, Election, Phase
from tissu.directory.views_common import apply_errors, post_only, posted, render_form
from tissu.lib.pdf import pdf_response

RECEIPT_SESSION_KEY = "council_receipts"


@require_safe
def home(request):
    settings = selectors.council_settings()
    today = timezone.now()
    return render(
        request,
        "council/home.html",
        {
            "settings": settings,
            "colleges": selectors.colleges(),
            "elections": Election.objects.all()[:10],
            "bureau": selectors.bureau(),
            "mandate": selectors.current_election(),
            "upcoming": selectors.public_meetings().filter(starts_at__gte=today).order_by("starts_at")[:5],
            "minutes": selectors.published_minutes()[:5],
            "consultations": selectors.published_consultations()[:5],
            "managed": permissions.managed_associations(request.user),
            "is_office": permissions.is_office(request.user),
            "is_bureau": permissions.is_bureau_or_office(request.user),
        },
    )


# ---------------------------------------------------------------------------------------------------------
# Configuration (the office)


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request):
    permissions.require_office(request.user)
    settings = selectors.council_settings()
    form = CouncilSettingsForm(posted(request), instance=settings)
    if request.method == "POST" and form.is_valid():
        try:
            services.council_settings_update(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The council's rules were saved."))
            return redirect("council:settings")
    return render_form(
        request, "council/settings.html", {"form": form, "colleges": selectors.colleges(), "unplaced": _unplaced()}
    )


def _unplaced() -> int:
    placement = selectors.Placement()
    return sum(
        1
        for association in selectors.eligible_associations().only("id", "family_1", "family_2")
        if placement.college_id(association) is None
    )


@login_required
@require_http_methods(["GET", "POST"])
def college_edit(request, pk=None):
    permissions.require_office(request.user)
    college = permissions.get_college_for_office(request.user, pk) if pk is not None else None
    form = CollegeForm(posted(request), instance=college)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.college_save(
                actor=request.user,
                college=college,
                name=data["name"],
                seats=data["seats"],
                substitute_seats=data["substitute_seats"],
                position=data["position"],
                themes=list(data["themes"]),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The college was saved."))
            return redirect("council:settings")
    return render_form(request, "council/college_form.html", {"form": form, "college": college})


@login_required
@require_safe
def placement(request):
    """Eligible associations and their college, to check the themes' placement and override it."""
    permissions.require_office(request.user)
    query = request.GET.get("q", "").strip()
    associations = selectors.eligible_associations().select_related("council_override__college")
    if query:
        associations = associations.filter(Q(name__icontains=query) | Q(rna_id__iexact=query))
    page = Paginator(associations.order_by("search_name", "id"), 50).get_page(request.GET.get("page"))
    placing = selectors.Placement()
    rows = [(association, placing.college(association)) for association in page]
    return render(request, "council/placement.html", {"page": page, "rows": rows, "q": query})


@login_required
@require_http_methods(["GET", "POST"])
def override_edit(request, slug):
    association = permissions.get_association_for_office(request.user, slug)
    current = getattr(association, "council_override", None)
    form = OverrideForm(
        posted(request),
        initial={"college": current.college_id if current else None, "reason": current.reason if current else ""},
    )
    if request.method == "POST" and form.is_valid():
        services.college_override_set(
            actor=request.user,
            association=association,
            college=form.cleaned_data["college"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("The college of %(name)s was saved.") % {"name": association.name})
        return redirect("council:placement")
    return render_form(
        request,
        "council/override_form.html",
        {"form": form, "association": association, "themes_college": selectors.Placement().by_family},
    )


@login_required
@require_http_methods(["GET", "POST"])
def representative_edit(request, slug):
    association = permissions.get_managed_association(request.user, slug)
    form = RepresentativeForm(posted(request), association=association)
    current = selectors.representative_of(association)
    if current and not form.is_bound:
        form.initial["user"] = current.user_id
    if request.method == "POST" and form.is_valid():
        try:
            services.voting_representative_designate(
                actor=request.user, association=association, user=form.cleaned_data["user"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The voting representative of %(name)s is saved.") % {"name": association.name})
            return redirect("council:home")
    return render_form(
        request, "council/representative_form.html", {"form": form, "association": association, "current": current}
    )


# ---------------------------------------------------------------------------------------------------------
# Elections


@login_required
@require_http_methods(["GET", "POST"])
def election_create(request):
    permissions.require_office(request.user)
    form = ElectionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            election = services.election_create(actor=request.user, values=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The election is created."))
            return redirect("council:election-detail", election.pk)
    return render_form(request, "council/election_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def election_edit(request, pk):
    election = permissions.get_election_for_user(request.user, pk, write=True)
    # The form validates a copy: the service compares the stored election with the new values.
    form = ElectionForm(posted(request), instance=copy.copy(election))
    if request.method == "POST" and form.is_valid():
        try:
            services.election_update(actor=request.user, election=election, values=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The election was saved."))
            return redirect("council:election-detail", election.pk)
    return render_form(request, "council/election_form.html", {"form": form, "election": election})


@require_safe
def election_detail(request, pk):
    election = permissions.get_election_for_user(request.user, pk)
    managed = permissions.managed_associations(request.user)
    own_candidacies = list(
        election.candidacies.filter(association__in=managed, status="submitted").select_related("association")
    )
    return render(
        request,
        "council/election_detail.html",
        {
            "election": election,
            "phase": election.phase(),
            "by_college": selectors.candidacies_by_college(election),
            "is_office": permissions.is_office(request.user),
            "can_stand": bool(managed) and election.phase() == Phase.CANDIDACY,
            "own_candidacies": own_candidacies,
            "voter_entries": selectors.voter_associations(request.user, election),
            "turnout": selectors.turnout(election) if election.roll_published_at else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidacy_create(request, pk):
    election = permissions.get_election_for_user(request.user, pk)
    associations = permissions.managed_associations(request.user)
    if not associations:
        raise PermissionDenied
    form = CandidacyForm(posted(request), associations=associations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.candidacy_submit(
                actor=request.user,
                election=election,
                association=data["association"],
                representative=data["representative"],
                statement=data["statement"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The candidacy of %(name)s is submitted.") % {"name": data["association"].name})
            return redirect("council:election-detail", election.pk)
    return render_form(request, "council/candidacy_form.html", {"form": form, "election": election})


@login_required
def candidacy_withdraw(request, pk):
    candidacy = permissions.get_candidacy_for_user(request.user, pk)
    if (refused := post_only(request)) is not None:
        return refused
    try:
        services.candidacy_withdraw(actor=request.user, candidacy=candidacy)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The candidacy is withdrawn."))
    return redirect("council:election-detail", candidacy.election_id)


@require_safe
def roll(request, pk):
    election = permissions.get_election_for_user(request.user, pk)
    if election.roll_published_at is None and not permissions.is_office(request.user):
        raise Http404
    entries = selectors.roll_of(election)
    return render(
        request,
        "council/roll.html",
        {"election": election, "entries": entries, "turnout": selectors.turnout(election)},
    )


@login_required
def roll_publish(request, pk):
    election = permissions.get_election_for_user(request.user, pk, write=True)
    if (refused := post_only(request)) is not None:
        return refused
    try:
        count = services.roll_publish(actor=request.user, election=election)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The electoral roll is published: %(count)s associations.") % {"count": count})
    return redirect("council:election-detail", election.pk)


@login_required
@require_http_methods(["GET", "POST"])
def vote(request, pk):
    """One form per association this person votes for; each posts one ballot."""
    election = permissions.get_election_for_user(request.user, pk)
    entries = selectors.voter_associations(request.user, election)
    if not entries:
        on_roll = list(
            selectors.roll_of(election).filter(association__in=permissions.managed_associations(request.user))
        )
        if not on_roll:
            raise PermissionDenied
        # A manager of an association on the roll who is not its voting representative: say who votes.
        return render(
            request,
            "council/vote_not_representative.html",
            {
                "election": election,
                "rows": [(entry, selectors.representative_of(entry.association)) for entry in on_roll],
            },
            status=403,
        )
    voted = set(election.participations.filter(association__in=[e.association_id for e in entries]).values_list(
        "association_id", flat=True
    ))  # fmt: skip
    candidacies = list(selectors.submitted_candidacies(election))
    forms = []
    for entry in entries:
        in_college = [c for c in candidacies if c.college_id == entry.college_id]
        prefix = f"a{entry.association_id}"
        bound = request.method == "POST" and request.POST.get(f"{prefix}-association") == str(entry.association_id)
        form = BallotForm(
            request.POST if bound else None,
            candidacies=in_college,
            seats=entry.college.seats,
            initial={"association": entry.association_id},
            prefix=prefix,
        )
        forms.append((entry, form, entry.association_id in voted))
    if request.method == "POST":
        match = [(entry, form) for entry, form, _done in forms if form.is_bound]
        if not match:
            messages.error(request, _("This association is not one you vote for."))
            return redirect("council:vote", election.pk)
        entry, form = match[0]
        if form.is_valid():
            try:
                ballot = services.ballot_cast(
                    actor=request.user,
                    election=election,
                    association=entry.association,
                    candidacy_ids=[int(v) for v in form.cleaned_data["names"]],
                    blank=form.cleaned_data["blank"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                # Kept in this person's session only until the receipt page shows it.
                receipts = request.session.get(RECEIPT_SESSION_KEY, {})
                receipts[str(election.pk)] = [*receipts.get(str(election.pk), []), ballot.receipt_code]
                request.session[RECEIPT_SESSION_KEY] = receipts
                return redirect("council:receipt", election.pk)
    status = 400 if any(form.is_bound and form.errors for _e, form, _d in forms) else 200
    return render(
        request, "council/vote.html", {"election": election, "forms": forms, "phase": election.phase()}, status=status
    )


@login_required
@require_safe
def receipt(request, pk):
    election = permissions.get_election_for_user(request.user, pk)
    receipts = request.session.get(RECEIPT_SESSION_KEY, {})
    codes = receipts.pop(str(election.pk), [])
    request.session[RECEIPT_SESSION_KEY] = receipts
    return render(request, "council/receipt.html", {"election": election, "codes": codes})


def _ballots_open(election: Election) -> bool:
    return election.phase() in (Phase.CLOSED, Phase.COUNTED)


@require_safe
def ballots(request, pk):
    """The published anonymised ballots, once voting has closed: receipt code, college, names."""
    election = permissions.get_election_for_user(request.user, pk)
    if not _ballots_open(election):
        raise Http404
    code = request.GET.get("code", "").strip().upper()
    found = None
    if code:
        found = Ballot.objects.filter(election=election, receipt_code=code).exists()
    names = {c.pk: c.association.name for c in selectors.submitted_candidacies(election)}
    colleges = {college.pk: college.name for college in College.objects.all()}
    page = Paginator(
        Ballot.objects.filter(election=election).prefetch_related("choices").order_by("receipt_code"), 200
    ).get_page(request.GET.get("page"))
    page.object_list = [
        {
            "code": ballot.receipt_code,
            "college": colleges[ballot.college_id],
            "blank": ballot.is_blank,
            "names": sorted(names[choice.candidacy_id] for choice in ballot.choices.all()),
        }
        for ballot in page
    ]
    return render(request, "council/ballots.html", {"election": election, "page": page, "code": code, "found": found})


@require_safe
def ballots_json(request, pk):
    election = permissions.get_election_for_user(request.user, pk)
    if not _ballots_open(election):
        raise Http404
    response = JsonResponse(selectors.published_ballots(election), json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'inline; filename="election-{election.pk}-ballots.json"'
    return response


@login_required
def count(request, pk):
    election = permissions.get_election_for_user(request.user, pk, write=True)
    if (refused := post_only(request)) is not None:
        return refused
    try:
        services.election_count(actor=request.user, election=election)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("council:election-detail", election.pk)
    messages.success(request, _("The election is counted: the results are published."))
    return redirect("council:results", election.pk)


@require_safe
def results(request, pk):
    election = permissions.get_election_for_user(request.user, pk)
    if election.counted_at is None:
        raise Http404
    return render(request, "council/results.html", {"election": election, "results": selectors.results(election)})


@require_safe
def official_record(request, pk):
    election = permissions.get_election_for_user(request.user, pk)
    if election.counted_at is None:
        raise Http404
    return pdf_response(
        template="council/pdf/official_record.html",
        context={
            "election": election,
            "results": selectors.results(election),
            "settings": selectors.council_settings(),
            "ballot_count": election.ballots.count(),
        },
        filename=f"proces-verbal-{election.title}",
    )


urlpatterns = [
    path("", home, name="home"),
    path("configuration/", settings_edit, name="settings"),
    path("colleges/nouveau/", college_edit, name="college-create"),
    path("colleges/<int:pk>/", college_edit, name="college-edit"),
    path("repartition/", placement, name="placement"),
    path("repartition/<slug:slug>/", override_edit, name="override-edit"),
    path("representant/<slug:slug>/", representative_edit, name="representative-edit"),
    path("elections/nouvelle/", election_create, name="election-create"),
    path("elections/<int:pk>/", election_detail, name="election-detail"),
    path("elections/<int:pk>/modifier/", election_edit, name="election-edit"),
    path("elections/<int:pk>/candidature/", candidacy_create, name="candidacy-create"),
    path("candidatures/<int:pk>/retrait/", candidacy_withdraw, name="candidacy-withdraw"),
    path("elections/<int:pk>/liste-electorale/", roll, name="roll"),
    path("elections/<int:pk>/liste-electorale/publier/", roll_publish, name="roll-publish"),
    path("elections/<int:pk>/voter/", vote, name="vote"),
    path("elections/<int:pk>/recu/", receipt, name="receipt"),
    path("elections/<int:pk>/bulletins/", ballots, name="ballots"),
    path("elections/<int:pk>/bulletins.json", ballots_json, name="ballots-json"),
    path("elections/<int:pk>/depouiller/", count, name="count"),
    path("elections/<int:pk>/resultats/", results, name="results"),
    path("elections/<int:pk>/proces-verbal.pdf", official_record, name="official-record"),
]
