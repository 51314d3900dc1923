"""The settings module fails loudly on a bad value."""

import os
import subprocess
import sys

import pytest


def load_settings(**env):
    environment = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "-c", "import recreg.settings"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("RECREG_DEBUG", "maybe", "RECREG_DEBUG must be true or false"),
        ("RECREG_PAGE_SIZE", "lots", "RECREG_PAGE_SIZE must be a whole number"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL must start with"),
        ("RECREG_SECRET_KEY", "short", "at least 50 characters"),
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
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'recreg.settings'; "
        "django.setup(); from django.core.files.storage import default_storage as d; "
        "d.exists('x'); print(type(d._wrapped).__name__, d._wrapped.base_url)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **os.environ,
            "RECREG_DATA_DIR": str(tmp_path),
            "RECREG_FILE_STORAGE": "django.core.files.storage.InMemoryStorage",
            "RECREG_FILE_STORAGE_OPTIONS": '{"base_url": "/shared/"}',
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["InMemoryStorage", "/shared/"]
