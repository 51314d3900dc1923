"""The one way the oversight pages fetch records: each helper applies the reader's access rules
and says what the reader may do.

The rules (docs/oversight.md has them as a table):
- Published grades and every monitoring decision are public. Unpublished grades are seen only
  by the inspectorate.
- Liaison notes and data returns are seen by the inspectorate and by the force's own people,
  nobody else: not other forces, not PCC offices, not national readers, not the public. To
  anyone else they do not exist (404).
- The inspectorate's working pages (risk ranking and its configuration, tranche plans, the
  collection window overview, every form) need a signed-in inspectorate reader; anyone else
  signed in is refused (403) and a visitor is asked to sign in.
- Only inspectorate editors change anything, except a data return, which the force's own
  editors fill in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from recreg.accounts.roles import capabilities_for
from recreg.frameworks.models import Framework
from recreg.organisations.models import Organisation, OrganisationKind
from recreg.oversight.models import (
    Assessment,
    CollectionWindow,
    DataReturn,
    LiaisonNote,
    MonitoringDecision,
    MonitoringRound,
    ReturnTemplate,
    TranchePlan,
)


class SignInRequired(Exception):
    """Raised for a visitor on a page that needs a signed-in reader."""


def is_inspectorate(user) -> bool:
    """Whether the reader is an inspectorate editor or reader."""
    return capabilities_for(user).sees_drafts


def is_editor(user) -> bool:
    """Whether the reader may change the inspectorate's oversight records."""
    return capabilities_for(user).edits_register


def require_inspectorate(request) -> None:
    """Let inspectorate readers through; a visitor must sign in, anyone else is refused."""
    caps = capabilities_for(request.user)
    if caps.is_public:
        raise SignInRequired
    if not caps.sees_drafts:
        raise PermissionDenied


def require_editor(request) -> None:
    """Let inspectorate editors through; a visitor must sign in, anyone else is refused."""
    caps = capabilities_for(request.user)
    if caps.is_public:
        raise SignInRequired
    if not caps.edits_register:
        raise PermissionDenied


def sign_in_redirect(request):
    """Send a visitor to sign in, coming back here afterwards."""
    return redirect_to_login(request.get_full_path())


# --- Grades -----------------------------------------------------------------------------------


def visible_assessments(user):
    """Assessments whose grades this reader may see: published ones, and all for the
    inspectorate."""
    qs = Assessment.objects.all()
    if is_inspectorate(user):
        return qs
    return qs.filter(published_on__isnull=False)


@dataclass(frozen=True)
class GradeAccess:
    can_edit: bool
    sees_unpublished: bool


def get_force_for_grades(user, slug: str) -> tuple[Organisation, GradeAccess]:
    """A force whose grades are shown (every force's published grades are public)."""
    force = _force_or_404(slug)
    return force, GradeAccess(can_edit=is_editor(user), sees_unpublished=is_inspectorate(user))


def get_framework(user, slug: str) -> tuple[Framework, GradeAccess]:
    """A framework (frameworks are public), with what the reader may do with its grades."""
    try:
        framework = Framework.objects.get(slug=slug)
    except Framework.DoesNotExist:
        raise Http404("No such framework") from None
    return framework, GradeAccess(can_edit=is_editor(user), sees_unpublished=is_inspectorate(user))


def _force_or_404(slug: str) -> Organisation:
    try:
        return Organisation.objects.select_related("region").get(
            slug=slug, kind=OrganisationKind.FORCE
        )
    except Organisation.DoesNotExist:
        raise Http404("No such force") from None


# --- Monitoring -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonitoringAccess:
    can_edit: bool
    sees_history: bool


def get_round_for_user(user, pk) -> tuple[MonitoringRound, MonitoringAccess]:
    """A monitoring round (public), with what the reader may do."""
    try:
        monitoring_round = MonitoringRound.objects.select_related("tranche").get(pk=pk)
    except (MonitoringRound.DoesNotExist, ValueError, TypeError):
        raise Http404("No such monitoring round") from None
    return monitoring_round, MonitoringAccess(
        can_edit=is_editor(user), sees_history=is_inspectorate(user)
    )


def get_decision_for_user(user, pk) -> tuple[MonitoringDecision, MonitoringAccess]:
    """A monitoring decision (public), with what the reader may do."""
    try:
        decision = MonitoringDecision.objects.select_related(
            "force", "round__tranche", "recorded_by"
        ).get(pk=pk)
    except (MonitoringDecision.DoesNotExist, ValueError, TypeError):
        raise Http404("No such decision") from None
    return decision, MonitoringAccess(can_edit=is_editor(user), sees_history=is_inspectorate(user))


def get_force_for_monitoring(user, slug: str) -> Organisation:
    """A force whose monitoring history is shown (public)."""
    return _force_or_404(slug)


# --- A force's private oversight: liaison notes and data returns ------------------------------


def sees_private(user, force: Organisation) -> bool:
    """Whether the reader sees this force's liaison notes and data returns: the inspectorate
    and the force's own people only."""
    caps = capabilities_for(user)
    if caps.is_public:
        return False
    return caps.sees_drafts or getattr(user, "organisation_id", None) == force.pk


@dataclass(frozen=True)
class PrivateAccess:
    can_add_notes: bool
    can_fill_returns: bool


def get_force_private(user, slug: str) -> tuple[Organisation, PrivateAccess]:
    """A force's private oversight pages, or 404 for anyone who may not see them."""
    force = _force_or_404(slug)
    if not sees_private(user, force):
        raise Http404("No such force")
    caps = capabilities_for(user)
    return force, PrivateAccess(
        can_add_notes=caps.edits_register,
        can_fill_returns=caps.edits_register
        or (caps.edits_responses and getattr(user, "organisation_id", None) == force.pk),
    )


def visible_notes(user, force: Organisation):
    """The force's liaison notes, if this reader may see them (none otherwise)."""
    if not sees_private(user, force):
        return LiaisonNote.objects.none()
    return LiaisonNote.objects.filter(force=force)


def visible_returns(user):
    """Every data return this reader may see."""
    caps = capabilities_for(user)
    qs = DataReturn.objects.all()
    if caps.sees_drafts:
        return qs
    if caps.is_public or getattr(user, "organisation_id", None) is None:
        return qs.none()
    return qs.filter(force_id=user.organisation_id)


def get_return_for_user(
    user, window_pk, force_slug: str
) -> tuple[CollectionWindow, Organisation, DataReturn | None, PrivateAccess]:
    """A force's return for a window (None if not started), or 404 if the reader may not see
    it."""
    force, access = get_force_private(user, force_slug)
    try:
        window = CollectionWindow.objects.select_related("template").get(pk=window_pk)
    except (CollectionWindow.DoesNotExist, ValueError, TypeError):
        raise Http404("No such collection window") from None
    data_return = (
        DataReturn.objects.filter(window=window, force=force)
        .select_related("submitted_by")
        .prefetch_related("values")
        .first()
    )
    return window, force, data_return, access


def get_window_for_inspectorate(request, pk) -> CollectionWindow:
    """A collection window's overview of every force (inspectorate only)."""
    require_inspectorate(request)
    try:
        return CollectionWindow.objects.select_related("template").get(pk=pk)
    except (CollectionWindow.DoesNotExist, ValueError, TypeError):
        raise Http404("No such collection window") from None


def get_template_for_inspectorate(request, pk) -> ReturnTemplate:
    """A data return template (inspectorate only)."""
    require_inspectorate(request)
    try:
        return ReturnTemplate.objects.get(pk=pk)
    except (ReturnTemplate.DoesNotExist, ValueError, TypeError):
        raise Http404("No such template") from None


# --- Planning ---------------------------------------------------------------------------------


def get_plan_for_inspectorate(request, pk) -> TranchePlan:
    """A tranche plan (inspectorate only)."""
    require_inspectorate(request)
    try:
        return TranchePlan.objects.select_related("tranche", "framework", "created_by").get(pk=pk)
    except (TranchePlan.DoesNotExist, ValueError, TypeError):
        raise Http404("No such plan") from None


def get_force_for_risk(request, slug: str) -> Organisation:
    """A force whose risk ranking is shown (inspectorate only)."""
    require_inspectorate(request)
    return _force_or_404(slug)
