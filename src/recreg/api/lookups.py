"""Turning the slugs and ids a client sends into records, collecting every unknown one as an
error against its field, so one 422 names them all."""

from __future__ import annotations

from collections.abc import Iterable

from recreg.accounts.roles import capabilities_for
from recreg.api.errors import RequestInvalid
from recreg.findings.access import visible_findings
from recreg.findings.models import Finding, Theme
from recreg.frameworks.models import Framework, QuestionArea
from recreg.inspections.access import visible_inspections
from recreg.inspections.models import Inspection
from recreg.organisations.models import Organisation


def require_register_editor(user, what: str) -> None:
    """403 before anything is looked up, for a reader who may not change the register at all.

    The services check this too; asking first means a reader without the right learns nothing
    about which slugs exist."""
    if not capabilities_for(user).edits_register:
        raise PermissionError(f"Only inspectorate editors change {what}")


class Lookups:
    def __init__(self, user):
        self.user = user
        self.errors: dict[str, list[str]] = {}

    def _error(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def check(self) -> None:
        """Raise one 422 naming every field that named nothing."""
        if self.errors:
            raise RequestInvalid(self.errors)

    def organisation(self, field: str, slug: str | None) -> Organisation | None:
        if slug is None:
            return None
        found = self.organisations(field, [slug])
        return found[0] if found else None

    def organisations(self, field: str, slugs: Iterable[str]) -> list[Organisation]:
        wanted = list(dict.fromkeys(slugs))
        found = {o.slug: o for o in Organisation.objects.filter(slug__in=wanted)}
        for slug in wanted:
            if slug not in found:
                self._error(field, f"No organisation has the slug ‘{slug}’")
        return [found[slug] for slug in wanted if slug in found]

    def themes(self, field: str, slugs: Iterable[str]) -> list[Theme]:
        wanted = list(dict.fromkeys(slugs))
        found = {t.slug: t for t in Theme.objects.filter(slug__in=wanted)}
        for slug in wanted:
            if slug not in found:
                self._error(field, f"No theme has the slug ‘{slug}’")
        return [found[slug] for slug in wanted if slug in found]

    def framework(self, field: str, slug: str | None) -> Framework | None:
        if slug is None:
            return None
        framework = Framework.objects.filter(slug=slug).first()
        if framework is None:
            self._error(field, f"No programme has the slug ‘{slug}’")
        return framework

    def question_area(self, field: str, pk: int | None) -> QuestionArea | None:
        if pk is None:
            return None
        area = QuestionArea.objects.filter(pk=pk).first()
        if area is None:
            self._error(field, f"No question area has the id {pk}")
        return area

    def inspection(self, field: str, pk: int) -> Inspection | None:
        """An inspection this reader may see; one they may not is reported as unknown."""
        inspection = visible_inspections(self.user).filter(pk=pk).first()
        if inspection is None:
            self._error(field, f"No inspection has the id {pk}")
        return inspection

    def finding(self, field: str, pk: int | None) -> Finding | None:
        """A finding this reader may see; one they may not is reported as unknown."""
        if pk is None:
            return None
        finding = visible_findings(self.user).filter(pk=pk).first()
        if finding is None:
            self._error(field, f"No finding has the id {pk}")
        return finding
