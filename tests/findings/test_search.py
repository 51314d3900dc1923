"""Full-text search on each engine's own index; the same words find the same findings on both
engines (the suite runs on SQLite and PostgreSQL)."""

import pytest

from recreg.findings.models import Finding
from recreg.findings.search import order_by_rank, query_terms, search_findings


def search(words):
    return [f.pk for f in order_by_rank(search_findings(Finding.objects.all(), words))]


def test_finds_by_words_of_the_text(world):
    assert set(search("safeguards children")) == {world.published_a.pk}
    assert set(search("every")) == {world.national_all.pk}
    assert set(search("vetting")) == {
        world.national_all.pk,
        world.draft_a.pk,
        world.national_body.pk,
    }


def test_stems_words(world):
    # "safeguarding" and "safeguards" share a stem on both engines.
    assert world.published_a.pk in search("safeguarding")


def test_every_word_must_match(world):
    assert search("children 999") == []


def test_ranks_better_matches_first(world):
    from recreg.findings import services

    strong = services.create_finding(
        actor=world.inspector,
        inspection=world.inspection_a,
        kind="recommendation",
        text="Custody custody custody: the force should review custody.",
        addressees=[world.force_a],
    )
    results = search("custody")
    assert results[0] == strong.pk
    assert world.fact_check_a.pk in results


@pytest.mark.parametrize("query", ["", "   ", "the of and", "\"'*()^:-", "NEAR(", "a AND OR NOT"])
def test_odd_queries_do_not_crash(world, query):
    assert isinstance(search(query), list)


def test_query_terms_drop_stop_words():
    assert query_terms("The force SHOULD review vetting") == ["force", "review", "vetting"]


def test_search_follows_edits(world):
    from recreg.findings import services

    services.update_finding(world.published_b, actor=world.inspector, text="Answer calls faster.")
    assert search("faster") == [world.published_b.pk]
    assert search("999") == []
