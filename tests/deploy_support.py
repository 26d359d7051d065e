"""Helpers for tests that run the real settings in a subprocess, as a deployment would."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# 60 random-looking characters, more than the 50 and 5 unique characters Django asks for.
PRODUCTION_SECRET = "q8Zr3vK1xN7pT2mW9bY4cH6jL0sD5fG8aE1uR3iO7kP2nM9vB4xC6zQ0wS5tY3hJ"

CLEARED = {
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "SITE_URL",
    # Set inside the test process by the browser tests' live server; never in production.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def production_env(**overrides) -> dict[str, str]:
    env = {
        "DEBUG": "false",
        "SECRET_KEY": PRODUCTION_SECRET,
        "ALLOWED_HOSTS": "exocheck.example",
        "SITE_URL": "https://exocheck.example",
        "EXOCHECK_TESTING": "false",
    }
    env.update(overrides)
    return env


def _environment(overrides):
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env.update(overrides)
    return env


def run_manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_environment(env),
        capture_output=True,
        text=True,
        timeout=300,  # generous: CI machines are shared and slow under load
    )


def run_python(code: str, **env):
    """Run `code` after django.setup() with the given environment."""
    bootstrap = "import django; django.setup()\n"
    return subprocess.run(
        [sys.executable, "-c", bootstrap + code],
        cwd=ROOT,
        env=_environment(env),
        capture_output=True,
        text=True,
        timeout=300,  # generous: CI machines are shared and slow under load
    )
