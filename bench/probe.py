"""The benchmark's view from inside Django, run by bench/run.py in a process of its own (so each
engine gets its own settings).

    python bench/probe.py prepare            # logins and the scenarios' parameters, as JSON
    python bench/probe.py floor < spec.json  # each page's SQL, timed alone, as JSON

`prepare` signs the benchmark's personas in (a session each, and an API token for the force
editor) and picks the records the scenarios read. `floor` requests each page once in-process,
captures the SQL it ran, then times those statements alone on a bare cursor: the database's
own floor for that page.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from generate import PERSONAS, setup_django  # noqa: E402

FLOOR_REPEATS = 7


def prepare() -> dict:
    """Sessions and a token for the personas, and the ids and slugs the scenarios use."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from recreg.accounts import twofactor
    from recreg.accounts.models import ApiToken, User
    from recreg.findings.models import Finding, Response

    out: dict = {"cookie_name": settings.SESSION_COOKIE_NAME, "sessions": {}}
    users = {}
    for key, (email, _role, _slug) in PERSONAS.items():
        user = User.objects.select_related("organisation").get(email=email)
        users[key] = user
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        # The personas have passed the second factor, as a real editor's session has;
        # otherwise every page would answer with the two-factor step instead.
        session[twofactor.SESSION_KEY] = twofactor.VERIFIED
        session.set_expiry(24 * 3600)
        session.create()
        out["sessions"][key] = session.session_key
    editor = users["editor"]
    raw, prefix, key_hash = ApiToken.new_secret()
    ApiToken.objects.create(user=editor, name="benchmark", prefix=prefix, key_hash=key_hash)
    out["token"] = raw
    out["force"] = editor.organisation.slug
    # Findings the editor's force was asked to act on, spread across the twenty years.
    ids = list(
        Finding.objects.filter(state="published", responses__organisation=editor.organisation)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    step = max(1, len(ids) // 50)
    out["detail_ids"] = ids[::step][:50]
    # Responses the force editor may post updates on (bench/soak.py writes to these).
    out["editable_response_ids"] = list(
        Response.objects.filter(
            organisation=editor.organisation, state="in_progress", finding__state="published"
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:200]
    )
    return out


def floor(spec: list[dict]) -> list[dict]:
    """For each page: its status, how many statements it ran, and their time run alone."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from recreg.accounts import twofactor
    from recreg.accounts.models import User

    results = []
    for item in spec:
        client = Client(HTTP_HOST="127.0.0.1")
        if item.get("persona"):
            client.force_login(User.objects.get(email=PERSONAS[item["persona"]][0]))
            session = client.session
            session[twofactor.SESSION_KEY] = twofactor.VERIFIED
            session.save()
        headers = {"Authorization": f"Bearer {item['token']}"} if item.get("token") else {}
        path = item["path"]
        client.get(path, headers=headers)  # warm caches, as the load run's warm-up does
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, headers=headers)
            if getattr(response, "streaming", False):
                body = b"".join(response.streaming_content)
            else:
                body = response.content
        statements = [q["sql"] for q in captured.captured_queries]
        timings = []
        per_statement: list[list[float]] = [[] for _ in statements]
        lists = [False] * len(statements)
        with connection.cursor() as cursor:
            for _ in range(FLOOR_REPEATS):
                total = 0.0
                for index, sql in enumerate(statements):
                    if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                        continue  # a session or token touch, not part of the read
                    started = time.perf_counter()
                    cursor.execute(sql)
                    lists[index] = len(cursor.fetchall()) > 1
                    spent = time.perf_counter() - started
                    per_statement[index].append(spent)
                    total += spent
                timings.append(total)
        medians = [statistics.median(t) if t else 0.0 for t in per_statement]
        # What Datasette serves: the heaviest statement that reads a list of rows (a page's
        # findings), not a count's single row, which is not the same read work; a page that
        # reads no list (one finding) gives its heaviest statement.
        candidates = [i for i in range(len(statements)) if lists[i]] or range(len(statements))
        heaviest = max(candidates, key=lambda i: medians[i]) if statements else None
        results.append(
            {
                "name": item["name"],
                "status": response.status_code,
                "bytes": len(body),
                "queries": len(statements),
                "floor_ms": round(statistics.median(timings) * 1000, 2) if timings else None,
                "heaviest_sql": statements[heaviest] if heaviest is not None else "",
                "heaviest_ms": round(medians[heaviest] * 1000, 2) if heaviest is not None else None,
            }
        )
    return results


def main() -> None:
    """Run one of the two questions and print the answer as JSON."""
    import os

    setup_django(os.environ.get("DATABASE_URL") or None)
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "prepare":
        answer = prepare()
    elif command == "floor":
        answer = floor(json.load(sys.stdin))
    else:
        raise SystemExit("usage: probe.py prepare | floor < spec.json")
    print(json.dumps(answer))


if __name__ == "__main__":
    main()
