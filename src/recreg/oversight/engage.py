"""Who is in Engage, since when and why, and who left, read from the monitoring decisions.

A force is in Engage while its latest decision's stage is Engage. It entered with the first
Engage decision after a Scan (or with its first decision); it left with the first Scan
decision after that.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from recreg.organisations.models import Organisation
from recreg.oversight.models import MonitoringDecision, MonitoringStage


@dataclass
class EngagePeriod:
    force: Organisation
    entered: MonitoringDecision
    latest: MonitoringDecision
    left: MonitoringDecision | None = None
    reviews: list[MonitoringDecision] = field(default_factory=list)

    @property
    def since(self) -> datetime.date:
        return self.entered.decided_on


def _ordered(decisions):
    return decisions.select_related("force", "round__tranche").order_by(
        "force__name",
        "force_id",
        "round__tranche__year",
        "round__tranche__number",
        "decided_on",
        "pk",
    )


def engage_periods(decisions=None) -> list[EngagePeriod]:
    """Every spell a force spent in Engage, in one query, oldest first per force."""
    if decisions is None:
        decisions = MonitoringDecision.objects.all()
    periods: list[EngagePeriod] = []
    current: dict[int, EngagePeriod] = {}
    for decision in _ordered(decisions):
        period = current.get(decision.force_id)
        if decision.stage == MonitoringStage.ENGAGE:
            if period is None:
                period = EngagePeriod(force=decision.force, entered=decision, latest=decision)
                current[decision.force_id] = period
                periods.append(period)
            else:
                period.latest = decision
                period.reviews.append(decision)
        elif period is not None:
            period.left = decision
            del current[decision.force_id]
    return periods


def engage_summary() -> tuple[list[EngagePeriod], list[EngagePeriod]]:
    """Forces in Engage now (longest first) and the spells that ended (latest exit first)."""
    periods = engage_periods()
    current = sorted((p for p in periods if p.left is None), key=lambda p: (p.since, p.force.name))
    left = sorted(
        (p for p in periods if p.left is not None),
        key=lambda p: (p.left.decided_on, p.force.name),
        reverse=True,
    )
    return current, left
