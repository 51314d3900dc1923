"""The progress pages: a response with its actions and timeline, a page per action, My work,
an organisation's overview, its boards and reassignment, and evidence downloads.

None of them is public: anonymous readers are sent to sign in, and the access helpers give 404
for a response the reader may not see and the views 403 for a step the reader may not take.
The views only read forms and call recreg.progress.services.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from recreg.accounts.models import User
from recreg.core.forms import add_service_errors, rendering_key
from recreg.core.rules import reader_key
from recreg.core.statements import CompiledList, CompiledRows, KeptStatements
from recreg.findings.access import visible_findings, visible_responses
from recreg.findings.filters import CHOICES_SECONDS, FindingFilters, filter_choices
from recreg.findings.models import CLOSED_STATES, GovernanceBoard, Response
from recreg.progress import forms as progress_forms
from recreg.progress import queries, services
from recreg.progress.access import (
    get_challenge_for_user,
    get_evidence_for_user,
    get_organisation_for_user,
    get_progress_for_user,
    get_proposal_for_user,
)
from recreg.progress.models import (
    ChallengeState,
    ClosureProposal,
    Evidence,
    ProgressUpdate,
    TargetDateChange,
    WordingChallenge,
)

TIMELINE_PAGE_SIZE = 50
SINCE_DAYS = 30


def _page_size() -> int:
    return settings.REGISTER_PAGE_SIZE


def _stale_reset(form, response: Response) -> None:
    """After a stale save, keep what was typed but base the form on the latest version, so the
    reader can check what changed and save again."""
    data = form.data.copy()
    data["version"] = str(response.version)
    form.data = data
    if "files" in form.fields and form.files:
        form.add_error(None, "Choose your files again: files are not kept after a refusal.")


def _run(request, form, response_pk, call, *, field_map=None):
    """Call a service with the form's data; on refusal, put its errors on the form.

    Returns the service's result, or None after a refusal.
    """
    try:
        return call()
    except ValidationError as exc:
        add_service_errors(form, exc, field_map)
        if isinstance(exc, services.StaleResponse) or getattr(exc, "code", None) == "stale":
            latest, _ = get_progress_for_user(request.user, response_pk)
            _stale_reset(form, latest)
        return None


def _action_page(request, template, context, *, form):
    """Render an action's page: 400 when a submitted form was refused, so tools notice."""
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, template, context, status=status)


def _blocked(request, response, reason: str, title: str):
    """The page for a step that cannot be taken now, saying why."""
    return render(
        request,
        "progress/blocked.html",
        {"response": response, "reason": reason, "title": title},
        status=409 if request.method == "POST" else 200,
    )


def _posted(request):
    """The submitted data on a POST (even if empty, so the form is checked), else None."""
    return request.POST if request.method == "POST" else None


def _posted_files(request):
    return request.FILES if request.method == "POST" else None


def _safe_back(raw: str | None) -> str:
    """A return address only if it is one of our own response pages."""
    raw = raw or ""
    return raw if raw.startswith("/progress/responses/") and "//" not in raw else ""


def _versioned_initial(response: Response, **extra) -> dict:
    return {"version": response.version, **extra}


# The response page


@login_required
@require_GET
def response_detail(request, pk):
    """A response's progress: its summary, what the reader may do next, and its timeline."""
    response, access = get_progress_for_user(request.user, pk)
    finding = response.finding
    timeline = Paginator(queries.timeline_events(response), TIMELINE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    latest_update = (
        ProgressUpdate.objects.filter(response=response).order_by("-created_at", "-pk").first()
    )
    pending_proposal = (
        ClosureProposal.objects.filter(response=response, decision="")
        .select_related("proposed_by")
        .prefetch_related("evidence")
        .first()
    )
    challenges = list(
        WordingChallenge.objects.filter(response=response, state=ChallengeState.PENDING)
        .select_related("raised_by")
        .order_by("raised_at")
    )
    evidence = list(
        Evidence.objects.filter(response=response).select_related("uploaded_by").order_by("pk")
    )
    date_changes = list(
        TargetDateChange.objects.filter(response=response)
        .select_related("changed_by")
        .order_by("-changed_at", "-pk")
    )
    steps = {}
    if access.edits:
        for step in ("allocate", "update", "evidence", "target_date", "propose", "challenge"):
            steps[step] = services.why_not(step, response) is None
    steps["decide"] = access.signs_off and pending_proposal is not None
    steps["discharge"] = (
        access.decides_register
        and finding.is_concern
        and services.why_not("discharge", response) is None
    )
    open_children = services.open_recommendations(response) if finding.is_concern else None
    return render(
        request,
        "progress/response.html",
        {
            "response": response,
            "finding": finding,
            "access": access,
            "steps": steps,
            "timeline": timeline,
            "latest_update": latest_update,
            "pending_proposal": pending_proposal,
            "challenges": challenges,
            "evidence": evidence,
            "date_changes": date_changes,
            "open_children": open_children,
            "today": timezone.localdate(),
        },
    )


# Allocation


def _people(organisation) -> list[User]:
    return list(
        User.objects.filter(organisation=organisation, is_active=True).order_by("full_name")
    )


def _boards(organisation, current=None) -> list[GovernanceBoard]:
    boards = GovernanceBoard.objects.filter(organisation=organisation).filter(
        Q(is_active=True) | Q(pk=getattr(current, "pk", None))
    )
    return list(boards.order_by("name"))


def _edit_step(request, pk, step: str, title: str):
    """The response for a step an editor of its organisation takes, or the reason they cannot
    (as a page)."""
    response, access = get_progress_for_user(request.user, pk)
    if not access.edits:
        raise PermissionDenied
    reason = services.why_not(step, response)
    if reason and request.method == "GET":
        return response, access, _blocked(request, response, reason, title)
    return response, access, None


@login_required
@require_http_methods(["GET", "POST"])
def allocate(request, pk):
    """Choose a response's strategic owner, tactical lead and governance board."""
    response, access, blocked = _edit_step(request, pk, "allocate", "Allocate this response")
    if blocked:
        return blocked
    org = response.organisation
    people = _people(org)
    boards = _boards(org, response.governance_board)
    form = progress_forms.AllocateForm(
        _posted(request),
        people=people,
        boards=boards,
        initial=_versioned_initial(
            response,
            owner=response.owner_id,
            tactical_lead=response.tactical_lead_id,
            governance_board=response.governance_board_id,
        ),
    )
    if request.method == "POST" and form.is_valid():
        by_id = {p.pk: p for p in people}
        boards_by_id = {b.pk: b for b in boards}
        data = form.cleaned_data
        done = _run(
            request,
            form,
            pk,
            lambda: services.allocate_response(
                response,
                owner=by_id.get(data["owner"]),
                tactical_lead=by_id.get(data["tactical_lead"]),
                governance_board=boards_by_id.get(data["governance_board"]),
                expected_version=data["version"],
                actor=request.user,
            ),
        )
        if done:
            messages.success(request, "The response has been allocated")
            return redirect("progress:response", pk=response.pk)
    return _action_page(
        request,
        "progress/allocate.html",
        {"response": response, "form": form, "organisation": org, "access": access},
        form=form,
    )


# Updates and evidence


@login_required
@require_http_methods(["GET", "POST"])
def post_update(request, pk):
    """Post a progress update (or a correction of an earlier one) with evidence."""
    response, access, blocked = _edit_step(request, pk, "update", "Post an update")
    if blocked:
        return blocked
    corrects = None
    corrects_id = (request.POST.get("corrects") or request.GET.get("corrects") or "").strip()
    if corrects_id and not corrects_id.isdigit():
        raise Http404("No such update")
    if corrects_id:
        corrects = ProgressUpdate.objects.filter(response=response, pk=corrects_id).first()
        if corrects is None:
            raise Http404("No such update")
    initial = _versioned_initial(response, corrects=corrects.pk if corrects else None)
    if corrects is not None:
        initial["rag"] = corrects.rag
        initial["percent_complete"] = corrects.percent_complete
    form = progress_forms.UpdateForm(_posted(request), _posted_files(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        update = _run(
            request,
            form,
            pk,
            lambda: services.post_update(
                response,
                narrative=data["narrative"],
                rag=data["rag"],
                percent_complete=data["percent_complete"],
                corrects=corrects,
                files=data["files"],
                expected_version=data["version"],
                actor=request.user,
            ),
        )
        if update:
            messages.success(request, "Your update has been posted")
            return redirect("progress:response", pk=response.pk)
    return _action_page(
        request,
        "progress/update_form.html",
        {"response": response, "form": form, "corrects": corrects},
        form=form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def attach_evidence(request, pk):
    """Attach evidence files to a response."""
    response, access, blocked = _edit_step(request, pk, "evidence", "Attach evidence")
    if blocked:
        return blocked
    form = progress_forms.EvidenceForm(
        _posted(request), _posted_files(request), initial=_versioned_initial(response)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rows = _run(
            request,
            form,
            pk,
            lambda: services.attach_evidence(
                response,
                files=data["files"],
                description=data["description"],
                expected_version=data["version"],
                actor=request.user,
            ),
        )
        if rows:
            count = len(rows)
            messages.success(
                request, f"{count} file{'s have' if count != 1 else ' has'} been attached"
            )
            return redirect("progress:response", pk=response.pk)
    return _action_page(
        request, "progress/evidence_form.html", {"response": response, "form": form}, form=form
    )


@login_required
@require_GET
def evidence_download(request, pk):
    """Download an evidence file: only for those who may see its response, never the public."""
    evidence, _ = get_evidence_for_user(request.user, pk)
    try:
        handle = evidence.open()
    except (FileNotFoundError, OSError):
        raise Http404("The file is missing") from None
    download = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.download_name,
        content_type=evidence.content_type,
    )
    # Evidence is internal: no shared caches, and never rendered in the site's own origin.
    download["Cache-Control"] = "private, no-store"
    download["Content-Security-Policy"] = "default-src 'none'; sandbox"
    download["X-Content-Type-Options"] = "nosniff"
    return download


# Target dates


@login_required
@require_http_methods(["GET", "POST"])
def change_target_date(request, pk):
    """Set or move a response's target date, with the reason."""
    response, access, blocked = _edit_step(request, pk, "target_date", "Change the target date")
    if blocked:
        return blocked
    form = progress_forms.TargetDateForm(_posted(request), initial=_versioned_initial(response))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = _run(
            request,
            form,
            pk,
            lambda: services.change_target_date(
                response,
                new_date=data["new_date"],
                reason=data["reason"],
                expected_version=data["version"],
                actor=request.user,
            ),
        )
        if change:
            messages.success(request, "The target date has been changed")
            return redirect("progress:response", pk=response.pk)
    history = (
        TargetDateChange.objects.filter(response=response)
        .select_related("changed_by")
        .order_by("-changed_at", "-pk")
    )
    return _action_page(
        request,
        "progress/target_date_form.html",
        {"response": response, "form": form, "date_changes": list(history)},
        form=form,
    )


# Closure


@login_required
@require_http_methods(["GET", "POST"])
def propose_closure(request, pk):
    """Propose closing a response, with a closing statement and evidence."""
    response, access, blocked = _edit_step(request, pk, "propose", "Propose closure")
    if blocked:
        return blocked
    has_evidence = Evidence.objects.filter(response=response).exists()
    form = progress_forms.ProposeClosureForm(
        _posted(request),
        _posted_files(request),
        initial=_versioned_initial(response),
        has_evidence=has_evidence,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        proposal = _run(
            request,
            form,
            pk,
            lambda: services.propose_closure(
                response,
                statement=data["statement"],
                files=data["files"],
                expected_version=data["version"],
                actor=request.user,
            ),
        )
        if proposal:
            messages.success(request, "Your proposal to close this response has been sent")
            return redirect("progress:response", pk=response.pk)
    return _action_page(
        request,
        "progress/propose_closure.html",
        {"response": response, "form": form, "has_evidence": has_evidence,
         "inspectorate_decides": not access.signs_off},
        form=form,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def decide_closure(request, pk):
    """Decide a proposal to close a response."""
    proposal, access = get_proposal_for_user(request.user, pk)
    if not access.signs_off:
        raise PermissionDenied
    response = proposal.response
    if not proposal.is_pending and request.method == "GET":
        return _blocked(request, response, "This proposal has already been decided", "Decide")
    form = progress_forms.DecideClosureForm(_posted(request), initial=_versioned_initial(response))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        superseding = None
        if data["superseded_by"]:
            superseding = visible_findings(request.user).filter(pk=data["superseded_by"]).first()
            if superseding is None:
                form.add_error("superseded_by", "There is no finding with that number")
        if not form.errors:
            decided = _run(
                request,
                form,
                response.pk,
                lambda: services.decide_closure(
                    proposal,
                    decision=data["decision"],
                    reason=data["reason"],
                    superseded_by=superseding,
                    expected_version=data["version"],
                    actor=request.user,
                ),
            )
            if decided:
                messages.success(request, f"Decision recorded: {decided.get_decision_display()}")
                return redirect("progress:response", pk=response.pk)
    return _action_page(
        request,
        "progress/decide_closure.html",
        {
            "response": response,
            "proposal": proposal,
            "proposal_evidence": list(proposal.evidence.all()),
            "form": form,
        },
        form=form,
    )


# Factual accuracy check


@login_required
@require_http_methods(["GET", "POST"])
def raise_challenge(request, pk):
    """Challenge the wording of a finding in its factual accuracy check."""
    response, access, blocked = _edit_step(request, pk, "challenge", "Challenge the wording")
    if blocked:
        return blocked
    form = progress_forms.ChallengeForm(
        _posted(request),
        initial=_versioned_initial(response, proposed_text=response.finding.text),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        challenge = _run(
            request,
            form,
            pk,
            lambda: services.raise_challenge(
                response,
                proposed_text=data["proposed_text"],
                reason=data["reason"],
                expected_version=data["version"],
                actor=request.user,
            ),
        )
        if challenge:
            messages.success(request, "Your challenge has been sent to the inspectorate")
            return redirect("progress:response", pk=response.pk)
    return _action_page(
        request, "progress/challenge_form.html", {"response": response, "form": form}, form=form
    )


@login_required
@require_http_methods(["GET", "POST"])
def decide_challenge(request, pk):
    """Accept or reject a challenge to a finding's wording."""
    challenge, access = get_challenge_for_user(request.user, pk)
    if not access.decides_register:
        raise PermissionDenied
    response = challenge.response
    if not challenge.is_pending and request.method == "GET":
        return _blocked(request, response, "This challenge has already been decided", "Decide")
    form = progress_forms.DecideChallengeForm(
        _posted(request), initial=_versioned_initial(response)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        decided = _run(
            request,
            form,
            response.pk,
            lambda: services.decide_challenge(
                challenge,
                accept=data["decision"] == "accept",
                reason=data["reason"],
                expected_version=data["version"],
                actor=request.user,
            ),
        )
        if decided:
            messages.success(
                request, f"The challenge has been {decided.get_state_display().lower()}"
            )
            return redirect("progress:response", pk=response.pk)
    return _action_page(
        request,
        "progress/decide_challenge.html",
        {"response": response, "challenge": challenge, "form": form},
        form=form,
    )


# Causes of concern


@login_required
@require_http_methods(["GET", "POST"])
def discharge(request, pk):
    """Discharge a cause of concern for an organisation (inspectorate editors)."""
    response, access = get_progress_for_user(request.user, pk)
    if not access.decides_register:
        raise PermissionDenied
    reason = services.why_not("discharge", response)
    if reason and request.method == "GET":
        return _blocked(request, response, reason, "Discharge the cause of concern")
    children = queries.response_rows(
        visible_responses(request.user).filter(
            finding__parent_id=response.finding_id, organisation_id=response.organisation_id
        )
    ).order_by("finding__sequence", "pk")
    form = progress_forms.DischargeForm(_posted(request), initial=_versioned_initial(response))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _run(
            request,
            form,
            pk,
            lambda: services.discharge_concern(
                response,
                reason=data["reason"],
                override_reason=data["override_reason"],
                expected_version=data["version"],
                actor=request.user,
            ),
        )
        if done:
            messages.success(request, "The cause of concern has been discharged")
            return redirect("progress:response", pk=response.pk)
    return _action_page(
        request,
        "progress/discharge.html",
        {
            "response": response,
            "form": form,
            "children": list(children),
            "closed_states": CLOSED_STATES,
        },
        form=form,
    )


# My work


@login_required
@require_GET
def my_work(request):
    """What needs the signed-in person: responses they own or lead, and decisions waiting."""
    summary, rows = queries.my_work_page(request.user, request.GET.get("show") or "all")
    view = summary.view
    page_obj = Paginator(rows, _page_size()).get_page(request.GET.get("page"))
    views = [
        (key, label, summary.counts.get(key, 0))
        for key, label in queries.MY_WORK_VIEWS.items()
        if (key != "proposals" or summary.decides_closures)
        and (key != "challenges" or summary.decides_challenges)
    ]
    return render(
        request,
        "progress/my_work.html",
        {
            "view": view,
            "view_label": queries.MY_WORK_VIEWS[view],
            "views": views,
            "page_obj": page_obj,
            "today": timezone.localdate(),
            "stale_days": queries.STALE_DAYS,
        },
    )


# An organisation's overview, boards and reassignment


def overview_filters(request):
    """The register's filters read from the query string, checked against what exists, their
    form, and what its fields render from (recreg.core.forms.rendering_key)."""
    filters = FindingFilters.from_params(request.GET)
    choices = filter_choices(filters)
    areas, themes = choices.areas, choices.themes
    params = request.GET.copy()
    if not params.get("since"):
        # What changed in the last 30 days, unless the reader picks another date.
        default = timezone.localdate() - datetime.timedelta(days=SINCE_DAYS)
        params["since"] = default.strftime("%d/%m/%Y")
    form = progress_forms.ProgressFilterForm(params, areas=areas, themes=themes)
    form.is_valid()
    errors = dict(filters.errors)
    errors.pop("force", None)
    if filters.theme and filters.theme not in {t.slug for t in themes}:
        errors["theme"] = "Choose a theme from the list"
        filters.theme = ""
    if filters.area and filters.area not in {a.pk for a in areas}:
        errors["area"] = "Choose a question area from the list"
        filters.area = None
    form.add_filter_errors({k: v for k, v in errors.items() if k in form.fields})
    return filters, form, rendering_key(form, choices.version)


class OverviewStatements(NamedTuple):
    """An overview's three statements: its counts, its overdue list and its changes."""

    counts: CompiledRows
    overdue: CompiledList
    changes: CompiledList


OVERVIEWS = KeptStatements()


@login_required
@require_GET
def force_overview(request, slug):
    """An organisation's progress: counts by state and RAG, what is overdue, and what changed
    since a date, with the register's filters."""
    org, access = get_organisation_for_user(request.user, slug)
    filters, form, form_key = overview_filters(request)
    finding_filters = queries.overview_finding_filters(filters)
    today = timezone.localdate()
    since = form.cleaned_data.get("since") if not form.errors.get("since") else None
    since = since or today - datetime.timedelta(days=SINCE_DAYS)
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    filtered = finding_filters.is_filtered or filters.state or filters.overdue

    def build() -> OverviewStatements:
        responses = queries.overview_responses(request.user, org, filters)
        events = (
            queries.changes_since(responses, start)
            if filtered
            else queries.organisation_changes_since(request.user, org, start)
        )
        overdue = responses.overdue(today).order_by("target_date", "pk")
        kept = None if filtered else queries.kept_count_rows(request.user, org)
        return OverviewStatements(
            counts=CompiledRows(queries.count_rows(responses) if kept is None else kept),
            overdue=CompiledList(overdue, queries.OVERDUE_ROW_VALUES),
            changes=CompiledList(events, queries.CHANGE_ROW_VALUES),
        )

    if finding_filters.q:
        # A search's findings are read first and their ids written into the statements.
        statements = build()
    else:
        # Otherwise the statements come from the reader's kind, the organisation, the
        # filters and the dates alone: compiled once (recreg.core.statements).
        key = (reader_key(request.user), org.pk, filters.question(), today, start)
        statements = OVERVIEWS.get(key, build)
    size = _page_size()
    return render(
        request,
        "progress/force_overview.html",
        {
            "organisation": org,
            "access": access,
            "form": form,
            "form_key": form_key,
            "form_seconds": CHOICES_SECONDS,
            "filters": filters,
            "filtered": filtered,
            "counts": queries.overview_counts(statements.counts.fetch()),
            "overdue": Paginator(statements.overdue, size).get_page(
                request.GET.get("overdue_page")
            ),
            "changes": Paginator(statements.changes, size).get_page(
                request.GET.get("changes_page")
            ),
            "since": since,
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def boards(request, slug):
    """The governance boards an organisation keeps; its editors add to the list."""
    org, access = get_organisation_for_user(request.user, slug)
    if request.method == "POST" and not access.edits:
        raise PermissionDenied
    form = progress_forms.BoardForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            board = services.add_governance_board(
                org, name=form.cleaned_data["name"], actor=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{board.name} has been added")
            back = _safe_back(request.POST.get("next"))
            if back:
                return redirect(back)
            return redirect("progress:boards", slug=org.slug)
    board_list = (
        GovernanceBoard.objects.filter(organisation=org)
        .annotate(open_responses=Count("responses", filter=~Q(responses__state__in=CLOSED_STATES)))
        .order_by("name")
    )
    return _action_page(
        request,
        "progress/boards.html",
        {
            "organisation": org,
            "access": access,
            "form": form,
            "boards": list(board_list),
            "next": _safe_back(request.GET.get("next") or request.POST.get("next")),
        },
        form=form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def reassign(request, slug):
    """Hand everything one person owns or leads to others, in one step."""
    org, access = get_organisation_for_user(request.user, slug)
    if not access.edits:
        raise PermissionDenied
    holders = _holders(org)
    people = _people(org)
    by_id = {p.pk: p for p in holders}
    raw_person = request.POST.get("person") or request.GET.get("person") or ""
    person = by_id.get(int(raw_person)) if raw_person.isdigit() else None
    held = list(queries.response_rows(services.responses_held_by(org, person)) if person else [])
    token = services.reassignment_token(held)
    form = progress_forms.ReassignForm(
        _posted(request),
        holders=holders,
        people=[p for p in people if person is None or p.pk != person.pk],
        initial={"token": token, "person": person.pk if person else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        everyone = {p.pk: p for p in people}
        try:
            count = services.reassign_responses(
                org,
                person=person,
                new_owner=everyone.get(data["new_owner"]),
                new_tactical_lead=everyone.get(data["new_tactical_lead"]),
                expected_token=data["token"] or "",
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            if getattr(exc, "code", None) == "stale":
                data_copy = form.data.copy()
                data_copy["token"] = token
                form.data = data_copy
        else:
            messages.success(
                request,
                f"{count} response{'s have' if count != 1 else ' has'} been reassigned "
                f"from {person.full_name}",
            )
            return redirect(reverse("progress:reassign", args=[org.slug]))
    return _action_page(
        request,
        "progress/reassign.html",
        {
            "organisation": org,
            "form": form,
            "person": person,
            "held": held,
            "owns": any(r.owner_id == person.pk for r in held) if person else False,
            "leads": any(r.tactical_lead_id == person.pk for r in held) if person else False,
        },
        form=form,
    )


def _holders(org) -> list[User]:
    """The people who own or lead any of an organisation's open responses, with how many."""
    held: dict[int, int] = {}
    pairs = Response.objects.open().filter(organisation=org).values_list("owner", "tactical_lead")
    for owner, lead in pairs:
        for person in {owner, lead} - {None}:
            held[person] = held.get(person, 0) + 1
    people = list(User.objects.filter(pk__in=held).order_by("full_name"))
    for person in people:
        person.held = held[person.pk]
    return people
