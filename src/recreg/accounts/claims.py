"""Mapping an identity provider's claims to an organisation and a role.

The map is a list of rules, read from RECREG_OIDC_CLAIM_MAP; the first rule whose claim holds
its value decides. Claims that no rule matches give no access at all: there is no default role.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from recreg.accounts.roles import Role

RULE_KEYS = {"claim", "value", "organisation", "role"}


class ClaimMapError(ValueError):
    """The claim map is not a list of well-formed rules."""


@dataclass(frozen=True)
class Grant:
    """What a matching rule gives: the organisation (by slug) and the role."""

    organisation: str
    role: str


def parse_claim_map(data: Any) -> list[dict[str, str]]:
    """Check the decoded JSON of a claim map and return its rules, or raise ClaimMapError."""
    if not isinstance(data, list):
        raise ClaimMapError("must be a JSON list of rules")
    roles = {choice.value for choice in Role}
    rules = []
    for number, rule in enumerate(data, start=1):
        if not isinstance(rule, dict):
            raise ClaimMapError(f"rule {number} must be an object")
        missing = RULE_KEYS - set(rule)
        unknown = set(rule) - RULE_KEYS
        if missing or unknown:
            raise ClaimMapError(
                f"rule {number} must have exactly the keys {sorted(RULE_KEYS)}"
                f" (missing {sorted(missing)}, unknown {sorted(unknown)})"
            )
        if not all(isinstance(rule[key], str) and rule[key].strip() for key in RULE_KEYS):
            raise ClaimMapError(f"rule {number}: every value must be a non-empty string")
        if rule["role"] not in roles:
            raise ClaimMapError(
                f"rule {number}: role {rule['role']!r} is not one of {sorted(roles)}"
            )
        rules.append({key: rule[key].strip() for key in RULE_KEYS})
    return rules


def _holds(claim: Any, value: str) -> bool:
    if isinstance(claim, list | tuple):
        return any(isinstance(item, str) and item == value for item in claim)
    return isinstance(claim, str) and claim == value


def grant_for(claims: dict[str, Any], rules: list[dict[str, str]]) -> Grant | None:
    """The organisation and role the first matching rule gives, or None: no access."""
    for rule in rules:
        if _holds(claims.get(rule["claim"]), rule["value"]):
            return Grant(organisation=rule["organisation"], role=rule["role"])
    return None
