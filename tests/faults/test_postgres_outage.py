"""PostgreSQL stopped and started under load (a private server, never the shared one): while
it is down every request gets a clear 503 page with Retry-After, never a traceback or a 500,
and once it is back the same server process recovers by itself."""

from __future__ import annotations

import shutil
import threading
import time

from tests.engines import postgres_only
from tests.faults.support import Browser, PrivatePostgres, Server, load_register, register_env

OUTAGE_SECONDS = 8


@postgres_only
def test_requests_during_an_outage_get_503_and_the_app_recovers(
    fault_register, static_template, tmp_path
):
    data = tmp_path / "register"
    data.mkdir()
    shutil.copy(static_template / "secret_key", data / "secret_key")
    (data / "static").symlink_to(static_template / "static")
    # (answered at, who, status, Retry-After, body, asked at)
    replies: list[tuple[float, str, int, str, str, float]] = []
    lock = threading.Lock()
    stop = threading.Event()

    with PrivatePostgres() as postgres:
        env = register_env(data, postgres.create_database("recreg_fault"))
        load_register(fault_register.backup, env)
        with Server(env, workers=1, threads=4) as server:
            editor, reader = Browser(server.base, timeout=20), Browser(server.base, timeout=20)
            editor.sign_in(fault_register.editor)
            reader.sign_in(fault_register.reader)
            pid = server.process.pid

            def load(browser: Browser, who: str, work) -> None:
                n = 0
                while not stop.is_set():
                    n += 1
                    asked = time.monotonic()
                    try:
                        reply = work(browser, n)
                        entry = (reply.status, reply.headers.get("Retry-After", ""), reply.body)
                    except OSError as exc:
                        entry = (0, "", f"no reply: {exc}")
                    with lock:
                        replies.append((time.monotonic(), who, *entry, asked))
                    time.sleep(0.1)

            pages = [
                "/findings/",
                *(f"/progress/responses/{pk}/" for pk in fault_register.response_ids),
            ]
            workers = [
                threading.Thread(
                    target=load,
                    args=(reader, "reader", lambda b, n: b.request(pages[n % len(pages)])),
                ),
                threading.Thread(
                    target=load,
                    args=(
                        editor,
                        "writer",
                        lambda b, n: b.post_update(fault_register.response_ids[0], f"outage {n}"),
                    ),
                ),
            ]
            for worker in workers:
                worker.start()
            try:
                time.sleep(4)
                postgres.stop()
                down_at = time.monotonic()
                time.sleep(OUTAGE_SECONDS)
                restarting_at = time.monotonic()
                postgres.start()
                up_at = time.monotonic()
                # Recovered: both a page and an update succeed again, within a minute.
                deadline = up_at + 60
                while time.monotonic() < deadline:
                    with lock:
                        late = [r for r in replies if r[0] > up_at]
                    if {("reader", 200), ("writer", 302)} <= {(r[1], r[2]) for r in late}:
                        break
                    time.sleep(0.5)
            finally:
                stop.set()
                for worker in workers:
                    worker.join(timeout=60)
            assert server.process.poll() is None and server.process.pid == pid

    # Asked after the database went down and answered before it was started again: a request
    # asked just before the stop may finish its page afterwards, on a busy machine a second
    # later, and PostgreSQL accepts connections a moment before pg_ctl says it has started.
    during = [r for r in replies if down_at + 1 < r[5] and r[0] < restarting_at]
    assert any(r[2] == 503 for r in during), [r[1:3] for r in during]
    for _at, who, status, retry_after, body, _asked in replies:
        assert status != 0, f"{who} got no reply: {body}"
        assert status < 500 or status == 503, f"{who} got {status}: {body[:300]}"
        if status == 503:
            assert retry_after, "a 503 without Retry-After"
            assert "Sorry, the service is unavailable" in body
            assert "govuk-" in body and "Traceback" not in body
    for _at, who, status, *_ in during:
        assert status == 503, f"{who} got {status} while the database was down"
    late = {(r[1], r[2]) for r in replies if r[0] > up_at}
    assert ("reader", 200) in late, "pages did not come back after the database did"
    assert ("writer", 302) in late, "updates did not come back after the database did"
