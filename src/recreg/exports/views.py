"""Downloads of the list pages as CSV or Excel. Each applies the page's own access rules:
the register is open to all (the public gets the public register), an organisation's progress
and My work need a signed-in reader who may see them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_GET

from recreg.exports import sources
from recreg.exports.writers import csv_response, xlsx_response

WRITERS = {"csv": csv_response, "xlsx": xlsx_response}


def _write(table, fmt: str):
    writer = WRITERS.get(fmt)
    if writer is None:  # the URL converter allows only these; kept for direct calls
        raise Http404("No such format")
    return writer(table)


@require_GET
def register(request, fmt: str):
    """The register with the page's filters, every page of it."""
    return _write(sources.register_table(request), fmt)


@login_required
@require_GET
def force(request, slug: str, fmt: str):
    """An organisation's progress overview with its filters."""
    return _write(sources.force_table(request, slug), fmt)


@login_required
@require_GET
def my_work(request, fmt: str):
    """The signed-in person's work, in the view they chose."""
    return _write(sources.my_work_table(request), fmt)
