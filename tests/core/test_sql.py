"""Constants written into the statement (recreg.core.sql.Constant)."""

import pytest

from recreg.core.sql import Constant, constants
from recreg.findings.access import visible_findings, visible_response_states, visible_responses
from recreg.findings.models import Finding, FindingState, Response, ResponseState
from recreg.progress.queries import my_work
from tests.engines import postgres_only


@pytest.mark.parametrize("value", ["it's", "a b", "draft;", "", "draft' OR '1'='1", 3, None])
def test_only_plain_words_are_constants(value):
    with pytest.raises(ValueError, match="Not a plain constant"):
        Constant(value)


def test_a_constant_selects_what_its_value_does(world):
    by_value = set(Finding.objects.filter(state=FindingState.DRAFT).values_list("pk", flat=True))
    by_constant = Finding.objects.filter(state=Constant(FindingState.DRAFT))
    assert by_value == {world.draft_a.pk}
    assert set(by_constant.values_list("pk", flat=True)) == by_value
    published = FindingState.PUBLISHED, FindingState.FACT_CHECK
    assert set(
        Finding.objects.filter(state__in=constants(published)).values_list("pk", flat=True)
    ) == set(Finding.objects.filter(state__in=published).values_list("pk", flat=True))


@postgres_only
def test_postgresql_reads_the_rules_constants_in_the_statement(world):
    # A parameter for 'draft' kept PostgreSQL from ever using a prepared statement's generic
    # plan for the access rules, so each request planned them afresh.
    editor = world.force_a_editor
    for rows in [
        visible_findings(editor),
        visible_responses(editor),
        visible_response_states(editor),
        Response.objects.open(),
        my_work(editor, "all")[1],
    ]:
        sql, params = rows.query.sql_with_params()
        constant_values = {*FindingState, *ResponseState, "hmicfrs", "force"}
        assert not constant_values & {str(p) for p in params}, sql
    sql, _params = visible_responses(editor).query.sql_with_params()
    assert "'draft'" in sql
