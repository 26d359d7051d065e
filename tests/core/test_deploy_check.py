"""`manage.py check --deploy` is clean with the production environment (ASVS 13.4.2).

The test suite forces TESTING on (no HTTPS settings), so these run the real settings module
in a subprocess with EXOCHECK_TESTING=false, as a deployment would.
"""

import pytest

from tests.deploy_support import (
    production_env,
    run_manage,
    run_python,
)


def test_check_deploy_reports_no_issues_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "DEBUG", **production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_warns_when_emails_would_carry_bare_paths():
    # Without SITE_URL, links in notification and reminder emails are paths only
    # (/assessments/12/): a deployment is told before anyone receives one.
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", **production_env(SITE_URL="")
    )
    assert result.returncode != 0
    output = result.stderr + result.stdout
    assert "exocheck.W001" in output
    assert "Set SITE_URL to the public address" in output


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
