"""Open data: the public register at stable addresses, the same for every reader."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.views.decorators.http import require_GET

from recreg.exports import open_data
from recreg.exports.writers import csv_response


@require_GET
def findings_csv(request):
    """The public register as CSV: one row per finding and force."""
    response = csv_response(open_data.findings_table(request), private=False)
    response["Content-Disposition"] = 'inline; filename="findings.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def findings_json(request):
    """The public register as JSON: one object per finding with its forces' states."""
    response = StreamingHttpResponse(
        (piece.encode("utf-8") for piece in open_data.findings_json(request)),
        content_type="application/json; charset=utf-8",
    )
    response["Cache-Control"] = "public, max-age=900"
    response["X-Content-Type-Options"] = "nosniff"
    response["Access-Control-Allow-Origin"] = "*"
    return response
