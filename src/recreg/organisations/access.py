"""The one way views and the API fetch organisations' pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from recreg.accounts.roles import capabilities_for
from recreg.organisations.models import Organisation, OrganisationKind


@dataclass(frozen=True)
class ForceAccess:
    # Whether the reader sees the force's own (non-public) progress, not only the public view.
    sees_internal: bool


def get_force_for_user(user, slug: str) -> tuple[Organisation, ForceAccess]:
    """A force's page is open to all; what it shows depends on the reader."""
    try:
        force = Organisation.objects.select_related("region").get(
            slug=slug, kind=OrganisationKind.FORCE
        )
    except Organisation.DoesNotExist:
        raise Http404("No such force") from None
    caps = capabilities_for(user)
    sees = bool(caps and (caps.sees_whole_register or force.pk in caps.organisation_ids))
    return force, ForceAccess(sees_internal=sees)
