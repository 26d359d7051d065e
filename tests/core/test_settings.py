"""Production configuration fails loudly, in one line."""

from tests.deploy_support import run_manage


def test_missing_secret_key_in_production_is_one_clear_line():
    result = run_manage("check", EXOCHECK_TESTING="false", DEBUG="false")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Configuration error: SECRET_KEY is not set. Set SECRET_KEY in the environment "
        "(or DEBUG=true for development)."
    ]


def test_missing_allowed_hosts_in_production_is_reported():
    result = run_manage("check", EXOCHECK_TESTING="false", DEBUG="false", SECRET_KEY="x" * 60)
    assert result.returncode == 1
    assert "ALLOWED_HOSTS is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_mode_needs_no_configuration():
    result = run_manage("check", EXOCHECK_TESTING="false", DEBUG="true")
    assert result.returncode == 0, result.stderr
