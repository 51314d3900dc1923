"""Values every page template needs."""

from django.conf import settings

from recreg.accounts.roles import capabilities_for


def site(request):
    """The site name and the reader's capabilities."""
    # An error page can be rendered before the authentication middleware has run.
    user = getattr(request, "user", None)
    return {"site_name": settings.SITE_NAME, "caps": capabilities_for(user)}
