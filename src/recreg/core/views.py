"""The home page and the health check."""

from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render

from recreg.accounts.roles import Role, capabilities_for


def home(request):
    """Signed-in readers go to the register (a PCC office to its responses due); the public
    gets a short introduction."""
    if not capabilities_for(request.user).is_public:
        org = request.user.organisation
        if request.user.role == Role.PCC_OFFICER and org is not None and org.force_id:
            # A PCC office starts from the reports it must respond to within 56 days.
            return redirect("reports:pcc_home")
        return redirect("findings:list")
    return render(request, "core/home.html")


def healthz(request):
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure here means "not healthy"
        return JsonResponse({"status": "error", "database": str(exc)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})
