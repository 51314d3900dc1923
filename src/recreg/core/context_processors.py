"""Values every page template needs."""

from django.conf import settings

from recreg.accounts.roles import capabilities_for


def site(request):
    """The site name and the reader's capabilities."""
    return {"site_name": settings.SITE_NAME, "caps": capabilities_for(request.user)}
