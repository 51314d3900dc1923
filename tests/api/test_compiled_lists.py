"""The API list's statements are compiled once for each kind of reader and question, and kept
for each thread (recreg.core.statements): these tests hold that a reader only ever runs their
own kind's statements, what the key must hold, and the statements' edge cases. That a kept
statement returns what the queryset would is held for every persona and filter by
tests/api/test_findings.py (test_the_api_returns_the_pages_findings_in_the_pages_order)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.utils import timezone

from recreg.accounts.roles import Role
from recreg.api import findings as api_findings
from recreg.core.statements import KeptStatements
from recreg.findings.models import Response
from tests.api.conftest import ApiClient, ids, token_for
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _compiled_afresh():
    api_findings.COMPILED.clear()
    yield
    api_findings.COMPILED.clear()


@pytest.fixture
def builds(monkeypatch):
    """The lists compiled, as (reader, question) keys, in order."""
    built = []
    get = api_findings.COMPILED.get

    def counting(key, build):
        return get(key, lambda: built.append(key) or build())

    monkeypatch.setattr(api_findings.COMPILED, "get", counting)
    return built


def test_readers_of_different_forces_never_share_a_compiled_list(world, api_as):
    force_a, force_b, public = (
        api_as("force_a_editor"), api_as("force_b_reader"), api_as("anonymous")
    )  # fmt: skip
    for _ in range(2):
        seen_by_a, seen_by_b = ids(force_a.get("/findings")), ids(force_b.get("/findings"))
        seen_by_public = ids(public.get("/findings"))
        assert world.fact_check_a.pk in seen_by_a and world.fact_check_a.pk not in seen_by_b
        assert world.fact_check_b.pk in seen_by_b and world.fact_check_b.pk not in seen_by_a
        assert not {world.fact_check_a.pk, world.fact_check_b.pk} & seen_by_public
        assert world.draft_a.pk not in seen_by_a | seen_by_b | seen_by_public


def test_a_list_is_compiled_once_for_each_kind_of_reader_and_question(world, api_as, builds):
    colleague = UserFactory(role=Role.FORCE_EDITOR, organisation=world.force_a)
    api_as("force_a_editor").get("/findings")
    api_as("force_a_editor").get("/findings", {"page": 2, "page_size": 3})  # another page
    assert len(builds) == 1
    ApiClient(api_as("anonymous").client, token_for(colleague)).get("/findings")
    assert len(builds) == 1  # the same organisation and role: the same statements
    api_as("force_a_editor").get("/findings", {"kind": "recommendation"})
    api_as("force_b_reader").get("/findings")
    api_as("anonymous").get("/findings")
    assert len(builds) == 4


def test_the_overdue_list_is_compiled_again_the_next_day(world, api_as, monkeypatch):
    today = timezone.localdate()
    response = Response.objects.filter(finding=world.published_a, organisation=world.force_a).get()
    # Due today: not overdue until tomorrow.
    Response.objects.filter(pk=response.pk).update(target_date=today, state="in_progress")
    client = api_as("force_a_editor")
    assert world.published_a.pk not in ids(client.get("/findings", {"overdue": "1"}))

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + datetime.timedelta(1))
    assert world.published_a.pk in ids(client.get("/findings", {"overdue": "1"}))


def test_a_search_with_no_words_to_look_for_is_an_empty_list(world, api_as):
    for _ in range(2):
        body = api_as("inspector").get("/findings", {"q": "the and of"}).json()
        assert (body["count"], body["count_exact"], body["results"]) == (0, True, [])


def test_a_page_past_the_end_counts_every_finding(world, api_as, settings):
    settings.REGISTER_COUNT_CAP = 2
    everything = ids(api_as("inspector").get("/findings", {"page_size": 100}))
    body = api_as("inspector").get("/findings", {"page": 50, "page_size": 5}).json()
    assert (body["count"], body["count_exact"], body["results"]) == (len(everything), True, [])


def test_each_thread_compiles_its_own_lists():
    # Each thread has its own database connection, which a compiled statement's converters
    # use: a statement compiled in one thread is never run in another.
    kept = KeptStatements()
    built = []

    def build():
        built.append(threading.get_ident())
        return object()

    mine = kept.get("key", build)
    assert kept.get("key", build) is mine
    other = []
    thread = threading.Thread(target=lambda: other.append(kept.get("key", build)))
    thread.start()
    thread.join()
    assert other[0] is not mine and len(set(built)) == 2


def test_a_full_store_starts_again(monkeypatch):
    kept = KeptStatements()
    monkeypatch.setattr(KeptStatements, "LIMIT", 2)
    first = kept.get(1, object)
    kept.get(2, object)
    kept.get(3, object)  # full: forgets 1 and 2
    assert kept.get(1, object) is not first
