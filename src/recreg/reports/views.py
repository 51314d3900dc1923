"""The reports pages: the committee paper form, each paper's progress and download, an
organisation's paper template, and the PCC office's responses to inspection reports.

None is public: visitors are sent to sign in. The access helpers (recreg.reports.access) give
404 for what a reader may not see and the views 403 for a step they may not take; the views
only read forms and call recreg.reports.services.
"""

from __future__ import annotations

import base64
import functools
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from recreg.core.forms import add_service_errors
from recreg.reports import services
from recreg.reports.access import (
    edits_template,
    get_paper_for_user,
    get_pcc_response_for_user,
    get_template_organisation_for_user,
    paper_organisations,
    pcc_office_of,
    visible_papers,
)
from recreg.reports.forms import (
    PaperRequestForm,
    PccResponseForm,
    PublishForm,
    TemplateForm,
    template_initial,
)
from recreg.reports.models import SECTIONS, PaperState, PaperTemplate
from recreg.reports.pcc import pcc_reports, render_pcc_docx, reports_about
from recreg.reports.render import paper_stylesheet

RECENT_PAPERS = 10
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


@functools.cache
def _paper_style_hash() -> str:
    """The CSP hash of the stylesheet an HTML paper carries inside it."""
    css = paper_stylesheet()
    return base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()


def _private(download):
    # Papers and responses hold internal progress: no shared caches, never run as a page of
    # the site's own origin. An HTML paper may use its own stylesheet and nothing else.
    download["Cache-Control"] = "private, no-store"
    policy = "default-src 'none'; sandbox"
    if download.get("Content-Type", "").startswith("text/html"):
        policy = f"default-src 'none'; style-src 'sha256-{_paper_style_hash()}'; sandbox"
    download["Content-Security-Policy"] = policy
    download["X-Content-Type-Options"] = "nosniff"
    return download


# --- Committee papers -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def index(request):
    """Ask for a committee paper; see the papers asked for lately."""
    organisations = paper_organisations(request.user)
    form = PaperRequestForm(
        request.POST if request.method == "POST" else None,
        organisations=organisations,
        initial={"format": "docx"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            paper = services.request_committee_paper(
                data["organisation"],
                since=data["since"],
                meeting_date=data["meeting_date"],
                fmt=data["format"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(paper)
    editable = [org for org in organisations if edits_template(request.user, org)]
    return render(
        request,
        "reports/index.html",
        {
            "form": form,
            "papers": list(
                visible_papers(request.user).select_related("organisation")[:RECENT_PAPERS]
            ),
            "has_organisations": organisations.exists(),
            "editable": editable,
            "pcc_office": pcc_office_of(request.user),
        },
        status=_status(form),
    )


@login_required
@require_GET
def paper(request, pk):
    """A paper's progress; once ready, its download link."""
    paper = get_paper_for_user(request.user, pk)
    # A paper whose worker stopped mid-way would otherwise say "being written" for ever: the
    # page its reader watches gives it up once the worker's lease has run out.
    if paper.state == PaperState.RUNNING and services.recover_stalled_papers(paper_id=paper.pk):
        paper = get_paper_for_user(request.user, pk)
    return render(request, "reports/paper_status.html", {"paper": paper})


@login_required
@require_POST
def paper_retry(request, pk):
    """Ask again for a paper that could not be made."""
    paper = get_paper_for_user(request.user, pk)
    try:
        again = services.retry_committee_paper(paper, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(paper)
    return redirect(again)


@login_required
@require_GET
def paper_download(request, pk):
    """Download a paper: only the person it was made for."""
    paper = get_paper_for_user(request.user, pk)
    if not paper.stored_name:
        raise Http404("The paper is not ready")
    try:
        handle = paper.open()
    except (FileNotFoundError, OSError):
        raise Http404("The file is missing") from None
    return _private(
        FileResponse(
            handle,
            as_attachment=True,
            filename=paper.download_name,
            content_type=paper.content_type,
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, slug):
    """An organisation's committee paper template (its own editors change it)."""
    organisation, access = get_template_organisation_for_user(request.user, slug)
    if not access.can_edit:
        raise PermissionDenied
    template = PaperTemplate.objects.filter(organisation=organisation).first()
    form = TemplateForm(
        request.POST if request.method == "POST" else None, initial=template_initial(template)
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.wording_fields_names()}
        try:
            services.save_paper_template(
                organisation, sections=form.ordered_sections(), actor=request.user, **values
            )
        except ValidationError as exc:
            add_service_errors(form, exc, {"sections": f"order_{next(iter(SECTIONS))}"})
        else:
            messages.success(
                request, f"The committee paper template of {organisation.name} is saved"
            )
            return redirect("reports:index")
    return render(
        request,
        "reports/template_form.html",
        {"form": form, "organisation": organisation, "template": template},
        status=_status(form),
    )


# --- PCC responses ----------------------------------------------------------------------------


def _office_or_403(request):
    office = pcc_office_of(request.user)
    if office is None:
        raise PermissionDenied
    return office


@login_required
@require_GET
def pcc_home(request):
    """The PCC office's home: responses due and overdue, then every report of the last year."""
    office = _office_or_403(request)
    today = timezone.localdate()
    rows = pcc_reports(request.user, office, today=today)
    return render(
        request,
        "reports/pcc_home.html",
        {
            "office": office,
            "outstanding": [r for r in rows if not r.is_published],
            "rows": rows,
            "today": today,
        },
    )


@login_required
@require_POST
def pcc_start(request, inspection_pk):
    """Draft the office's response to a report from the register."""
    office = _office_or_403(request)
    inspection = reports_about(request.user, office.force).filter(pk=inspection_pk).first()
    if inspection is None:
        raise Http404("No such report")
    response = services.start_pcc_response(inspection, actor=request.user)
    return redirect(response)


def _pcc_form(request, response, access):
    items = list(response.items.select_related("finding").order_by("order", "pk"))
    data = request.POST if request.method == "POST" else None
    initial = {
        "version": response.version,
        "intro": response.intro,
        "conclusion": response.conclusion,
    }
    for item in items:
        initial[f"item_{item.pk}_position"] = item.position
        initial[f"item_{item.pk}_comment"] = item.comment
    return PccResponseForm(data, initial=initial, response=response, items=items), items


@login_required
@require_http_methods(["GET", "POST"])
def pcc_response(request, pk):
    """A PCC response: the office edits its draft; whole-register readers may read it."""
    response, access = get_pcc_response_for_user(request.user, pk)
    if request.method == "POST" and not access.can_edit:
        raise PermissionDenied
    form, items = _pcc_form(request, response, access)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_pcc_response(
                response,
                intro=form.cleaned_data["intro"],
                conclusion=form.cleaned_data["conclusion"],
                items=form.item_texts(),
                expected_version=form.cleaned_data["version"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your response is saved")
            return redirect(response)
    return render(
        request,
        "reports/pcc_response.html",
        {
            "response": response,
            "access": access,
            "form": form,
            "items": items,
            "today": timezone.localdate(),
        },
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def pcc_publish(request, pk):
    """Mark a response published, with its web address."""
    response, access = get_pcc_response_for_user(request.user, pk)
    if not access.can_edit:
        raise PermissionDenied
    form = PublishForm(
        request.POST if request.method == "POST" else None,
        initial={"version": response.version, "published_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.publish_pcc_response(
                response,
                url=form.cleaned_data["published_url"],
                published_on=form.cleaned_data["published_on"],
                expected_version=form.cleaned_data["version"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The response is marked as published")
            return redirect(response)
    return render(
        request,
        "reports/pcc_publish.html",
        {"response": response, "form": form},
        status=_status(form),
    )


@login_required
@require_GET
def pcc_word(request, pk):
    """The response as a Word document."""
    response, _ = get_pcc_response_for_user(request.user, pk)
    download = HttpResponse(render_pcc_docx(response), content_type=DOCX)
    name = slugify(f"pcc-response-{response.inspection.title}")[:80]
    download["Content-Disposition"] = f'attachment; filename="{name}.docx"'
    return _private(download)
