"""Pages for bringing findings in: upload a report, review what was found, confirm; and bulk
import from spreadsheets. Views stay thin: access helpers fetch, services change."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from recreg.core.forms import add_service_errors
from recreg.inspections.access import get_inspection_for_user
from recreg.intake import bulk, services
from recreg.intake.access import (
    can_bulk_import,
    can_upload,
    get_batch_for_user,
    keeps_own_tracking,
    visible_batches,
)
from recreg.intake.forms import BulkImportForm, ReviewFormSet, UploadForm, initial_for
from recreg.intake.models import BatchState


@login_required
def index(request):
    """The imports this reader may see, newest first."""
    batches = visible_batches(request.user)[:100]
    return render(
        request,
        "intake/index.html",
        {"batches": batches, "can_bulk_import": can_bulk_import(request.user)},
    )


@login_required
def upload(request, inspection_pk):
    """Upload a report for an inspection; its findings wait for review."""
    inspection, _ = get_inspection_for_user(request.user, inspection_pk)
    if not can_upload(request.user, inspection):
        raise PermissionDenied("You cannot import findings for this inspection")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            batch = services.create_batch(
                actor=request.user,
                inspection=inspection,
                filename=upload_file.name,
                data=upload_file.read(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(batch)
    return render(request, "intake/upload.html", {"form": form, "inspection": inspection})


def _error_list(formset, general=()) -> list[tuple[str, str]]:
    """(link, message) pairs for the error summary: every problem, item by item."""
    out = [("", message) for message in general]
    out += [("", str(message)) for message in formset.non_form_errors()]
    for index, form in enumerate(formset.forms):
        for name, errors in form.errors.items():
            anchor = f"#{form[name].auto_id}" if name in form.fields else ""
            for message in errors:
                out.append((anchor, f"Item {index + 1}: {message}"))
    return out


@login_required
def review(request, pk):
    """The extracted findings as an editable list; save, add an item, or confirm."""
    batch, can_change = get_batch_for_user(request.user, pk)
    own = keeps_own_tracking(request.user) and not request.user.caps.edits_register
    editable = can_change and batch.state == BatchState.REVIEW
    general: list[str] = []
    kwargs = {"inspection": batch.inspection, "own_tracking": own}
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("This import cannot be changed")
        formset = ReviewFormSet(request.POST, **kwargs)
        action = request.POST.get("action", "save")
        if formset.is_valid():
            items = [
                form.item(batch.items[i] if i < len(batch.items) else None)
                for i, form in enumerate(formset.forms)
            ]
            try:
                if action == "confirm":
                    created = services.confirm_batch(batch, items, actor=request.user)
                    messages.success(
                        request,
                        f"{len(created)} finding{'s' if len(created) != 1 else ''} added to "
                        f"{batch.inspection.title}",
                    )
                    return redirect(batch.inspection)
                if action == "add":
                    items.append(
                        {
                            "kind": "recommendation",
                            "reference": "",
                            "text": "",
                            "deadline_text": "",
                            "question_area": None,
                            "parent": None,
                            "area": "",
                            "include": True,
                            "addressee_scope": "forces",
                            "addressees": ", ".join(
                                f.name for f in batch.inspection.forces_in_scope.all()
                            ),
                            "source": {},
                            "existing": None,
                        }
                    )
                services.save_batch_items(batch, items, actor=request.user)
                if action == "add":
                    return redirect(f"{batch.get_absolute_url()}#item-{len(items)}")
                messages.success(request, "Your changes have been saved")
                return redirect(batch)
            except services.BatchError as exc:
                general = list(exc.general)
                for index, fields in exc.rows.items():
                    if index < len(formset.forms):
                        add_service_errors(formset.forms[index], ValidationError(fields))
            except ValidationError as exc:
                general = list(exc.messages)
    else:
        formset = ReviewFormSet(initial=[initial_for(i) for i in batch.items], **kwargs)
    rows = list(zip(formset.forms, batch.items + [{}] * len(formset.forms), strict=False))
    return render(
        request,
        "intake/review.html",
        {
            "batch": batch,
            "formset": formset,
            "rows": rows,
            "editable": editable,
            "own_tracking": own,
            "errors": _error_list(formset, general) if request.method == "POST" else [],
            "new_count": sum(1 for i in batch.items if i.get("include") and not i.get("existing")),
            "existing_count": sum(1 for i in batch.items if i.get("existing")),
        },
    )


@login_required
@require_POST
def discard(request, pk):
    """Drop an import; nothing it held enters the register."""
    batch, can_change = get_batch_for_user(request.user, pk)
    if not can_change:
        raise PermissionDenied("You cannot discard this import")
    try:
        services.discard_batch(batch, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(batch)
    messages.success(request, "The import was discarded; nothing was added to the register")
    return redirect("intake:index")


@login_required
def bulk_import(request):
    """Import inspections, findings, responses or grades from a spreadsheet."""
    if not can_bulk_import(request.user):
        raise PermissionDenied("Only editors can import spreadsheets")
    form = BulkImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            report = bulk.import_file(
                form.cleaned_data["kind"], upload_file.read(), upload_file.name, actor=request.user
            )
        except (PermissionError, PermissionDenied) as exc:
            form.add_error("kind", str(exc))
        else:
            if report.ok:
                messages.success(request, report.summary())
                return redirect("intake:bulk_import")
            form.add_error(None, report.summary())
    return render(
        request, "intake/bulk_import.html", {"form": form, "report": report, "kinds": bulk.KINDS}
    )


@login_required
def template(request, kind, extension):
    """A template spreadsheet for one kind of import."""
    if kind not in bulk.KINDS or extension not in ("csv", "xlsx"):
        raise Http404("No such template")
    if not can_bulk_import(request.user):
        raise PermissionDenied("Only editors can import spreadsheets")
    if extension == "csv":
        response = HttpResponse(bulk.template_csv(kind), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            bulk.template_xlsx(kind),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="recreg-{kind}-template.{extension}"'
    return response
