"""The small, named set of roles and what each may do.

Every access decision in the product asks these capabilities, never the role name, so a new
role is one entry here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Role(models.TextChoices):
    INSPECTORATE_EDITOR = "inspectorate_editor", "Inspectorate editor"
    INSPECTORATE_READER = "inspectorate_reader", "Inspectorate reader"
    FORCE_EDITOR = "force_editor", "Force editor"
    FORCE_READER = "force_reader", "Force reader"
    PCC_OFFICER = "pcc_officer", "PCC officer"
    NATIONAL_READER = "national_reader", "National reader"


@dataclass(frozen=True)
class Capabilities:
    """What one reader may see and do. The anonymous public gets PUBLIC."""

    is_public: bool = True
    sees_whole_register: bool = False
    sees_drafts: bool = False
    edits_register: bool = False
    edits_responses: bool = False
    # The organisations whose responses (progress) this reader may see in full.
    organisation_ids: frozenset[int] = frozenset()
    user_id: int | None = None

    @property
    def is_inspectorate(self) -> bool:
        return self.sees_drafts


PUBLIC = Capabilities()


def capabilities_for(user) -> Capabilities:
    """The capabilities of a signed-in user, or PUBLIC for anyone else."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return PUBLIC
    role = user.role
    org = user.organisation
    org_ids: set[int] = set()
    if org is not None:
        org_ids.add(org.pk)
        if role == Role.PCC_OFFICER and org.force_id:
            # A PCC's office holds its own force to account, so it reads the force's progress.
            org_ids.add(org.force_id)
    if role in (Role.INSPECTORATE_EDITOR, Role.INSPECTORATE_READER):
        return Capabilities(
            is_public=False,
            sees_whole_register=True,
            sees_drafts=True,
            edits_register=role == Role.INSPECTORATE_EDITOR,
            organisation_ids=frozenset(org_ids),
            user_id=user.pk,
        )
    if role == Role.NATIONAL_READER:
        return Capabilities(
            is_public=False,
            sees_whole_register=True,
            organisation_ids=frozenset(org_ids),
            user_id=user.pk,
        )
    if role in (Role.FORCE_EDITOR, Role.FORCE_READER, Role.PCC_OFFICER):
        return Capabilities(
            is_public=False,
            edits_responses=role == Role.FORCE_EDITOR,
            organisation_ids=frozenset(org_ids),
            user_id=user.pk,
        )
    return PUBLIC
