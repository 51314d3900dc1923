"""The extractor against the labelled corpus: the bar is 95% precision and recall on
findings and 95% of deadlines right."""

from __future__ import annotations

import pytest

from tests.intake.evaluation import evaluate


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    return evaluate(tmp_path_factory.mktemp("corpus"))


def test_corpus_has_every_format_and_enough_documents():
    import tempfile
    from pathlib import Path

    from tests.intake.corpus.build import build

    with tempfile.TemporaryDirectory() as tmp:
        documents = build(Path(tmp))
    suffixes = {name.rsplit(".", 1)[1] for name in documents}
    assert suffixes >= {"pdf", "docx", "html", "md", "txt"}
    assert len(documents) >= 15


def test_precision_recall_and_deadlines(scores):
    print("\n" + scores.summary())
    for problem in scores.problems:
        print("  " + problem)
    assert scores.labelled >= 80
    assert scores.precision >= 0.95, scores.problems
    assert scores.recall >= 0.95, scores.problems
    assert scores.rate("deadline") >= 0.95, scores.problems


def test_kind_and_addressee_mostly_right(scores):
    assert scores.rate("kind") >= 0.95
    assert scores.rate("addressee") >= 0.9


def test_grade_tables(scores):
    assert scores.fields["grade_tables"] == scores.fields["grade_tables_labelled"], [
        p for p in scores.problems if "grades" in p
    ]
