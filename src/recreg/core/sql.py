"""SQL the ORM does not write by itself."""

from __future__ import annotations

from django.core.validators import slug_re
from django.db.models import CharField, Expression


class Constant(Expression):
    """A value of the code's own (a state, a kind, a slug from settings) written into the
    statement itself rather than sent beside it as a parameter.

    PostgreSQL keeps a prepared statement's generic plan, and stops planning it afresh, only
    when that plan costs about as much as the plans made for each execution's values. With
    "the finding's state = $1" it cannot know that $1 is always 'draft' (230 findings of
    100,000), so every statement applying an access rule was planned again on every request:
    1.5 ms of My work's closure-proposal count, whose execution takes 0.05 ms. Written as
    'draft', the value's own statistics go into the generic plan.

    Only slugs (letters, digits, - and _) are accepted, never what a reader sent: anything
    else raises ValueError.
    """

    def __init__(self, value: str):
        if not isinstance(value, str) or not slug_re.match(value):
            raise ValueError(f"Not a plain constant: {value!r}")
        super().__init__(output_field=CharField())
        self.value = value

    def __repr__(self) -> str:
        return f"Constant({self.value!r})"

    def as_sql(self, compiler, connection):
        if connection.vendor != "postgresql":
            # SQLite plans each statement afresh and keeps no plans: a parameter as ever.
            return "%s", [self.value]
        # A slug holds no quote, so the value needs no escaping.
        return f"'{self.value}'", []

    def get_group_by_cols(self):
        return []


def constants(values) -> list[Constant]:
    """Constant for each value, for an `__in` lookup."""
    return [Constant(str(value)) for value in values]
