"""Production configuration fails loudly, in one line."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}}
    env.update({"EXOCHECK_TESTING": "false", "DJANGO_SETTINGS_MODULE": "config.settings"})
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_secret_key_in_production_is_one_clear_line():
    result = run_manage("check", DEBUG="false")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Configuration error: SECRET_KEY is not set. Set SECRET_KEY in the environment "
        "(or DEBUG=true for development)."
    ]


def test_missing_allowed_hosts_in_production_is_reported():
    result = run_manage("check", DEBUG="false", SECRET_KEY="x" * 60)
    assert result.returncode == 1
    assert "ALLOWED_HOSTS is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_mode_needs_no_configuration():
    result = run_manage("check", DEBUG="true")
    assert result.returncode == 0, result.stderr
