"""Error pages in the Design System's words."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string

# How long a browser or client is told to wait before trying again while the database is away.
RETRY_AFTER_SECONDS = 30
logger = logging.getLogger("recreg.errors")


def _page(request, status: int, title: str, body: str):
    return render(request, "core/error.html", {"title": title, "body": body}, status=status)


def bad_request(request, exception=None):
    """400."""
    return _page(
        request,
        400,
        "Sorry, there is a problem with your request",
        "Check what you entered and try again.",
    )


def permission_denied(request, exception=None):
    """403."""
    return _page(
        request,
        403,
        "You do not have permission to do that",
        "If you think you should, ask an administrator in your organisation.",
    )


def page_not_found(request, exception=None):
    """404: also what a reader gets for a record they may not see."""
    return _page(
        request,
        404,
        "Page not found",
        "If you typed the web address, check it is correct. If you pasted the web address, check you copied the entire address.",
    )


def database_unavailable(request=None) -> HttpResponse:
    """503 while the database cannot be reached: a page that needs no database to render (JSON
    in the API's error format for API clients)."""
    if request is not None and request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": "The register cannot reach its database: try again shortly", "errors": []},
            status=503,
        )
    else:
        response = HttpResponse(render_to_string("core/error_503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def is_database_unavailable(exc: BaseException | None) -> bool:
    """Whether an exception means the database is down or unreachable (not a bug)."""
    return isinstance(exc, OperationalError | InterfaceError)


def server_error(request):
    """500, or 503 if what failed was reaching the database (from a middleware, say)."""
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable(request)
    return render(request, "core/error_500.html", status=500)


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 with Retry-After, not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        """Turn a lost database into a 503 page."""
        if not is_database_unavailable(exception):
            return None
        logger.warning("Database unavailable on %s: %s", request.path, exception)
        return database_unavailable(request)
