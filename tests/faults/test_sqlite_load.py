"""SQLite: eight writers and eight readers at once through the real server for a minute (set
RECREG_FAULT_LOAD_SECONDS to change it): nobody sees "database is locked" or any server
error, and every update the server acknowledged is in the database."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections import Counter

from tests.engines import sqlite_only
from tests.faults.support import Browser, Server, recreg, sqlite_register

SECONDS = float(os.environ.get("RECREG_FAULT_LOAD_SECONDS", "60"))
READERS = 8


def _clone(signed_in: Browser) -> Browser:
    # One sign-in per person, its session shared: sign-in is slow by design.
    browser = Browser(signed_in.base)
    for cookie in signed_in.jar:
        browser.jar.set_cookie(cookie)
    return browser


@sqlite_only
def test_eight_writers_and_eight_readers_lose_nothing_and_see_no_errors(
    fault_register, sqlite_template, tmp_path
):
    data = tmp_path / "register"
    env = sqlite_register(sqlite_template, fault_register.backup, data)
    acked: list[str] = []
    failures: list[str] = []
    counts: Counter[str] = Counter()
    lock = threading.Lock()

    def note(kind: str, problem: str | None = None) -> None:
        with lock:
            counts[kind] += 1
            if problem:
                failures.append(problem)

    def check(reply, what: str) -> bool:
        if reply.status >= 500 or "database is locked" in reply.body:
            note("failure", f"{what}: {reply.status} {reply.body[:200]!r}")
            return False
        return True

    with Server(env, workers=2, threads=4) as server:
        editor, reader = Browser(server.base), Browser(server.base)
        editor.sign_in(fault_register.editor)
        reader.sign_in(fault_register.reader)
        deadline = time.monotonic() + SECONDS

        def write(number: int, response_id: int) -> None:
            browser, n = _clone(editor), 0
            while time.monotonic() < deadline:
                narrative = f"load test writer {number} update {n}"
                n += 1
                try:
                    reply = browser.post_update(response_id, narrative)
                except OSError as exc:
                    note("failure", f"writer {number}: no reply ({exc})")
                    continue
                if not check(reply, f"writer {number}"):
                    continue
                # Acknowledged means sent back to the response page, not anywhere else.
                location = reply.headers.get("location", reply.headers.get("Location", ""))
                if reply.status == 302 and f"/responses/{response_id}/" in location:
                    with lock:
                        acked.append(narrative)
                    note("write")
                else:
                    note("failure", f"writer {number}: refused {reply.status} {reply.body[:200]!r}")

        def read(number: int) -> None:
            browser = _clone(reader)
            pages = ["/findings/", "/inspections/"] + [
                f"/progress/responses/{pk}/" for pk in fault_register.response_ids
            ]
            i = number
            while time.monotonic() < deadline:
                path = pages[i % len(pages)]
                i += 1
                try:
                    reply = browser.request(path)
                except OSError as exc:
                    note("failure", f"reader {number}: no reply ({exc})")
                    continue
                if check(reply, f"reader {number} {path}"):
                    if reply.status == 200:
                        note("read")
                    else:
                        note("failure", f"reader {number} {path}: {reply.status}")

        threads = [
            threading.Thread(target=write, args=(n, pk))
            for n, pk in enumerate(fault_register.response_ids)
        ] + [threading.Thread(target=read, args=(n,)) for n in range(READERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=SECONDS + 120)
        log = server.output()

    print(f"{SECONDS:.0f} s: {counts['write']} updates, {counts['read']} pages read")
    assert failures == [], failures[:10]
    assert "database is locked" not in log
    assert counts["write"] >= len(fault_register.response_ids)
    assert counts["read"] >= READERS
    with sqlite3.connect(data / "recreg.sqlite3") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored = {
            row[0]
            for row in conn.execute(
                "SELECT narrative FROM progress_progressupdate WHERE narrative LIKE 'load test %'"
            )
        }
    assert set(acked) <= stored, f"acknowledged but lost: {sorted(set(acked) - stored)[:10]}"
    assert "The audit trail is intact" in recreg("audit", "verify", env=env)
