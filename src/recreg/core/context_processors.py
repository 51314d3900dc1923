"""Values every page template needs."""

from dataclasses import dataclass

from django.conf import settings

from recreg.accounts.roles import capabilities_for
from recreg.core.links import url_for


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    active: bool  # the reader is on this item's page, or in its section
    current: bool  # the reader is on this item's page itself


# The header's service navigation: (URL name, label, whether the item stands for every page
# under its path, whether only for someone signed in).
SERVICE_NAVIGATION = (
    ("findings:list", "Register", False, False),
    ("inspections:list", "Inspections", False, False),
    ("organisations:force_list", "Forces", False, False),
    ("oversight:index", "Oversight", True, False),
    ("dashboards:national", "Dashboards", True, False),
    ("progress:my_work", "My work", False, True),
    ("reports:index", "Reports", True, True),
    ("intake:index", "Imports", True, True),
)


def service_navigation(path: str, signed_in: bool) -> list[NavItem]:
    """The header's links for a reader on this path.

    Worked out here, with each path reversed once, rather than in the page's template: there
    the header's twelve URL reversals and thirty conditions were a tenth of a simple page's
    time (docs/performance.md, seventeenth round)."""
    items = []
    for name, label, section, private in SERVICE_NAVIGATION:
        if private and not signed_in:
            continue
        href = url_for(name)
        current = path == href
        items.append(NavItem(label, href, current or (section and path.startswith(href)), current))
    return items


def site(request):
    """The site name, the reader's capabilities and the header's links."""
    # An error page can be rendered before the authentication middleware has run.
    user = getattr(request, "user", None)
    return {
        "site_name": settings.SITE_NAME,
        "caps": capabilities_for(user),
        "service_navigation": service_navigation(
            request.path, user is not None and user.is_authenticated
        ),
        "site_links": {
            "home": url_for("core:home"),
            "account": url_for("accounts:account"),
            "sign_in": url_for("accounts:login"),
            "sign_out": url_for("accounts:logout"),
            "openapi": url_for("api:openapi-json"),
        },
    }
