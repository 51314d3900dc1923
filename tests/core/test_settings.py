"""The settings module fails loudly on a bad value."""

import os
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.engines import postgres_only


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    """Python code run in a fresh process, with these environment variables added."""
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def load_settings(**env):
    return run_python("import recreg.settings", **env)


# Django set up in a fresh process, before the code that follows it.
WITH_DJANGO = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'recreg.settings'; django.setup()\n"
)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("RECREG_DEBUG", "maybe", "RECREG_DEBUG must be true or false"),
        ("RECREG_PAGE_SIZE", "lots", "RECREG_PAGE_SIZE must be a whole number"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL must start with"),
        ("RECREG_SECRET_KEY", "short", "at least 50 characters"),
        ("RECREG_DB_PREPARED_STATEMENTS", "sometimes", "must be true or false"),
        ("RECREG_POLICE_INSPECTORATE", "hm'icfrs", "RECREG_POLICE_INSPECTORATE must be"),
    ],
)
def test_bad_environment_values_stop_with_a_message(name, value, message, tmp_path):
    result = load_settings(**{name: value, "RECREG_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert message in result.stderr


def test_good_environment_loads(tmp_path):
    result = load_settings(RECREG_DATA_DIR=str(tmp_path), RECREG_DEBUG="false")
    assert result.returncode == 0, result.stderr


def test_bad_file_storage_options_stop_with_a_message(tmp_path):
    result = load_settings(
        RECREG_DATA_DIR=str(tmp_path),
        RECREG_FILE_STORAGE="django.core.files.storage.InMemoryStorage",
        RECREG_FILE_STORAGE_OPTIONS="[1, 2]",
    )
    assert result.returncode != 0
    assert "RECREG_FILE_STORAGE_OPTIONS must be a JSON object" in result.stderr


def test_evidence_files_go_to_the_named_shared_storage(tmp_path):
    # Several servers share one file store by naming its backend; the app reaches files only
    # through Django's default storage, so this is the whole switch.
    result = run_python(
        WITH_DJANGO + "from django.core.files.storage import default_storage as d; "
        "d.exists('x'); print(type(d._wrapped).__name__, d._wrapped.base_url)",
        RECREG_DATA_DIR=str(tmp_path),
        RECREG_FILE_STORAGE="django.core.files.storage.InMemoryStorage",
        RECREG_FILE_STORAGE_OPTIONS='{"base_url": "/shared/"}',
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["InMemoryStorage", "/shared/"]


@postgres_only
@pytest.mark.parametrize(("setting", "prepared"), [("", True), ("off", False)])
def test_postgresql_prepares_the_statements_a_connection_repeats(setting, prepared, tmp_path):
    # A fresh process, so that its connection is made under the setting given; it reads no
    # table, so any database will do.
    database_url = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path="/postgres"))
    code = """
from django.db import connection
with connection.cursor() as cursor:
    for n in range(6):
        cursor.execute("SELECT %s + 1 AS recreg_probe", [n])
    cursor.execute(
        "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%recreg_probe%"]
    )
    print(cursor.fetchone()[0])
"""
    result = run_python(
        WITH_DJANGO + code,
        RECREG_DATA_DIR=str(tmp_path),
        DATABASE_URL=database_url,
        RECREG_DB_PREPARED_STATEMENTS=setting,
    )
    assert result.returncode == 0, result.stderr
    assert (int(result.stdout) > 0) is prepared
