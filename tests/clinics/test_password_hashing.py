"""Production hashes passwords with Argon2 (ASVS 11.4.2); only the test suite uses fast MD5.

The suite runs with EXOCHECK_TESTING on, so these checks start a fresh interpreter with the
settings a production deployment has (DEBUG off, testing off) and read what it would use.
"""

import json
import os
import subprocess
import sys

from django.conf import settings

from tests.paths import REPO_ROOT

ROOT = REPO_ROOT
ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"
MD5 = "django.contrib.auth.hashers.MD5PasswordHasher"

PRODUCTION_PROBE = """
import json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from django.conf import settings
from django.contrib.auth.hashers import make_password
print(settings.PASSWORD_HASHERS[0])
print(json.dumps({
    "hashers": settings.PASSWORD_HASHERS,
    "hash": make_password("correct-horse-battery-staple-42"),
}))
"""


def production_settings() -> tuple[str, dict]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "EXOCHECK_TESTING"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "EXOCHECK_TESTING": "false",
            "DEBUG": "false",
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "example.com",
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    first_line, data = result.stdout.strip().splitlines()[-2:]
    return first_line, json.loads(data)


def test_production_hashes_with_argon2_and_never_md5():
    first, data = production_settings()
    assert first == ARGON2
    assert data["hashers"][0] == ARGON2
    assert MD5 not in data["hashers"]
    assert data["hash"].startswith("argon2")


def test_only_the_test_suite_puts_md5_first():
    assert settings.PASSWORD_HASHERS[0] == MD5
    # Behind it, the production list unchanged, so stored Argon2 hashes still verify.
    assert settings.PASSWORD_HASHERS[1] == ARGON2
