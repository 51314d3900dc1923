"""Error pages in the Design System's words."""

from django.shortcuts import render


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


def server_error(request):
    """500."""
    return render(request, "core/error_500.html", status=500)
