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
