import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recreg.findings.deadlines import DeadlineError, add_months, parse_deadline
from recreg.findings.models import DeadlineKind

PUBLISHED = datetime.date(2024, 1, 31)


@pytest.mark.parametrize(
    ("text", "kind", "resolved"),
    [
        ("", DeadlineKind.NONE, None),
        ("None", DeadlineKind.NONE, None),
        ("not later than 31 March 2015", DeadlineKind.DATE, datetime.date(2015, 3, 31)),
        ("No later than 1st April 2019.", DeadlineKind.DATE, datetime.date(2019, 4, 1)),
        ("by 30 June 2025", DeadlineKind.DATE, datetime.date(2025, 6, 30)),
        ("31/03/2025", DeadlineKind.DATE, datetime.date(2025, 3, 31)),
        ("2025-03-31", DeadlineKind.DATE, datetime.date(2025, 3, 31)),
        ("March 31, 2025", DeadlineKind.DATE, datetime.date(2025, 3, 31)),
        ("by September 2018", DeadlineKind.MONTH, datetime.date(2018, 9, 30)),
        ("By February 2024", DeadlineKind.MONTH, datetime.date(2024, 2, 29)),
        ("by the end of March 2019", DeadlineKind.MONTH, datetime.date(2019, 3, 31)),
        ("within six months", DeadlineKind.MONTHS, datetime.date(2024, 7, 31)),
        ("Within 12 months", DeadlineKind.MONTHS, datetime.date(2025, 1, 31)),
        ("within three months of publication", DeadlineKind.MONTHS, datetime.date(2024, 4, 30)),
        ("within one month", DeadlineKind.MONTHS, datetime.date(2024, 2, 29)),
        ("within a year", DeadlineKind.MONTHS, datetime.date(2025, 1, 31)),
        ("immediately", DeadlineKind.IMMEDIATE, PUBLISHED),
    ],
)
def test_reads_every_form_reports_use(text, kind, resolved):
    deadline = parse_deadline(text)
    assert deadline.kind == kind
    assert deadline.text == text.strip()
    assert deadline.resolve(PUBLISHED) == resolved


def test_months_are_unresolved_until_publication():
    assert parse_deadline("within six months").resolve(None) is None
    assert parse_deadline("within six months").months == 6


@pytest.mark.parametrize(
    "text",
    ["sometime soon", "31 February 2025", "by Smarch 2020", "within 500 months", "1 May 1066"],
)
def test_refuses_what_is_not_a_deadline(text):
    with pytest.raises(DeadlineError):
        parse_deadline(text)


@given(st.text(max_size=80))
def test_never_crashes_on_arbitrary_text(text):
    try:
        deadline = parse_deadline(text)
    except DeadlineError as exc:
        assert str(exc)
    else:
        assert deadline.kind in DeadlineKind.values


@given(
    st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2090, 1, 1)),
    st.integers(min_value=1, max_value=120),
)
def test_adding_months_lands_in_the_right_month(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day
