"""`manage.py check --deploy` is clean with the production environment (ASVS 13.4.2).

The test suite forces TESTING on (no HTTPS settings), so these run the real settings module
in a subprocess with EXOCHECK_TESTING=false, as a deployment would.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# 60 random-looking characters, more than the 50 and 5 unique characters Django asks for.
PRODUCTION_SECRET = "q8Zr3vK1xN7pT2mW9bY4cH6jL0sD5fG8aE1uR3iO7kP2nM9vB4xC6zQ0wS5tY3hJ"

CLEARED = {
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "AWS_STORAGE_BUCKET_NAME",
    # Set inside the test process by the browser tests' live server; never in production.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def production_env(**overrides) -> dict[str, str]:
    env = {
        "DEBUG": "false",
        "SECRET_KEY": PRODUCTION_SECRET,
        "ALLOWED_HOSTS": "exocheck.example",
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


def test_check_deploy_reports_no_issues_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "DEBUG", **production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_would_catch_a_weak_setup():
    # The check is live, not silenced: DEBUG on with a short key fails it.
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **production_env(DEBUG="true", SECRET_KEY="short"),
    )
    assert result.returncode != 0
    assert "security.W018" in result.stderr + result.stdout  # DEBUG on


def test_s3_storage_is_configured_from_aws_variables():
    code = (
        "from django.conf import settings; import json; "
        "print(json.dumps(settings.STORAGES['default']))"
    )
    result = run_python(
        code,
        **production_env(
            AWS_STORAGE_BUCKET_NAME="exocheck-media",
            AWS_S3_ENDPOINT_URL="https://s3.example.net",
            AWS_S3_REGION_NAME="eu-west-2",
        ),
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert '"BACKEND": "storages.backends.s3.S3Storage"' in out
    assert '"bucket_name": "exocheck-media"' in out
    assert '"default_acl": "private"' in out
    assert '"querystring_auth": true' in out


def test_media_stays_on_local_disk_without_a_bucket():
    code = "from django.conf import settings; print(settings.STORAGES['default']['BACKEND'])"
    result = run_python(code, **production_env())
    assert result.stdout.strip() == "django.core.files.storage.FileSystemStorage"


def test_s3_storage_settings_build_a_working_backend():
    # Builds the backend and signs a URL locally; no request leaves the machine.
    pytest.importorskip("boto3")
    code = (
        "from django.core.files.storage import default_storage as s; s._setup(); "
        "w = s._wrapped; "
        "print(type(w).__name__, w.bucket_name, w.location, w.default_acl, w.file_overwrite); "
        "print(s.url('evidence/1/x.pdf'))"
    )
    result = run_python(
        code,
        **production_env(
            AWS_STORAGE_BUCKET_NAME="exocheck-media",
            AWS_S3_ENDPOINT_URL="https://s3.example.net",
            AWS_S3_REGION_NAME="eu-west-2",
            AWS_ACCESS_KEY_ID="AKIAEXAMPLEEXAMPLE",
            AWS_SECRET_ACCESS_KEY="example-secret-not-real",
        ),
    )
    assert result.returncode == 0, result.stderr
    description, url = result.stdout.strip().splitlines()[-2:]
    assert description == "S3Storage exocheck-media media private False"
    # Private objects: any URL is signed and short-lived, never a public link.
    assert url.startswith("https://s3.example.net/exocheck-media/media/evidence/1/x.pdf?")
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=60" in url
