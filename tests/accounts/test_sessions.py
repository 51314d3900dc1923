"""Sessions read with a statement compiled once (recreg.accounts.sessions): the same answers
as Django's database sessions, whatever the key."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from recreg.accounts.sessions import SessionStore


def _saved(data: dict) -> str:
    store = SessionStore()
    store.update(data)
    store.save()
    return store.session_key


def test_sessions_are_this_store(db):
    assert settings.SESSION_ENGINE == "recreg.accounts.sessions"


def test_a_saved_session_reads_back_in_one_statement(db, django_assert_num_queries):
    key = _saved({"colour": "blue", "n": 3})
    store = SessionStore(key)
    with django_assert_num_queries(1):
        assert store.load() == {"colour": "blue", "n": 3}
    assert store.session_key == key
    # Another session, read by the statement already compiled, gets its own data.
    other = _saved({"colour": "red"})
    assert SessionStore(other).load() == {"colour": "red"}
    assert SessionStore(key)["colour"] == "blue"


def test_an_expired_session_reads_as_empty_and_gives_up_its_key(db):
    key = _saved({"colour": "blue"})
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None
    # Saved again, it is a new session under a new key: the expired one is not revived.
    store["colour"] = "green"
    store.save()
    assert store.session_key != key
    assert SessionStore(store.session_key).load() == {"colour": "green"}


def test_an_unknown_or_missing_key_reads_as_empty(db):
    for key in ("abcdefgh12345678abcdefgh12345678", None):
        store = SessionStore(key)
        assert store.load() == {}
        assert store.session_key is None


def test_a_tampered_session_reads_as_empty(db):
    key = _saved({"colour": "blue"})
    Session.objects.filter(session_key=key).update(session_data="not signed")
    assert SessionStore(key).load() == {}
