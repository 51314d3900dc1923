"""What every oversight view shares: a visitor on a signed-in page is sent to sign in."""

from __future__ import annotations

from functools import wraps

from django.urls import reverse

from recreg.oversight.access import SignInRequired, sign_in_redirect


def oversight_view(view):
    """Turn the access helpers' SignInRequired into a redirect to the sign-in page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except SignInRequired:
            return sign_in_redirect(request)

    return wrapper


def crumbs(*pairs) -> list[tuple[str, str]]:
    """Breadcrumbs after "Oversight": pairs of (url name or (url name, args), label)."""
    out = []
    for target, label in pairs:
        name, args = (target, ()) if isinstance(target, str) else target
        out.append((reverse(name, args=args), label))
    return out
