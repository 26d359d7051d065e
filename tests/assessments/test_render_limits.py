"""Every PDF render runs in a child process with a time and memory limit (issue 11, finding 4).

A render past a limit is stopped, its child killed and reaped, and the user told the report
is too large — from the preview, the sign-off and the render command alike — while the
largest report the field limits allow renders and signs off normally.
"""

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.urls import reverse

from assessments.errors import ReportRenderFailed, ReportTooLarge
from assessments.models import Assessment
from assessments.reports import isolated
from assessments.reports.context import REPORT_TEMPLATE, report_context
from assessments.reports.pdf import html_to_pdf, render_in_process
from tests.render_limits_support import (
    heavy_html,
    largest_answers,
    largest_statement,
    make_largest_assessment,
    oversized_answers,
)
from tests.reporting import make_assessment, pdf_text, sign, sign_off_data

# Past any limit: 1.2 million characters of text (the paste in the issue was 2.4 million).
HEAVY = heavy_html(1_200_000)
# Far below what that takes on any machine, long enough for a normal report to start.
SHORT_TIMEOUT = 2


@pytest.fixture(autouse=True)
def isolated_render(settings):
    """The production path with the default limits (the suite renders in-process unless
    told otherwise)."""
    settings.PDF_RENDER_ISOLATED = True


@pytest.fixture
def children(monkeypatch):
    """Every render child started during the test."""
    started = []

    class Recorded(subprocess.Popen):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            started.append(self)

    monkeypatch.setattr(subprocess, "Popen", Recorded)
    return started


def assert_reaped(child):
    assert child.returncode is not None
    with pytest.raises(ChildProcessError):  # already waited for: no zombie left
        os.waitpid(child.pid, os.WNOHANG)


def test_a_render_past_the_time_limit_is_killed_and_reaped(settings, children, caplog):
    settings.PDF_RENDER_TIMEOUT_SECONDS = 0.5

    with pytest.raises(ReportTooLarge, match="too large to produce.*0.5 seconds"):
        html_to_pdf(HEAVY)

    (child,) = children
    assert child.returncode == -signal.SIGKILL
    assert_reaped(child)
    assert "stopped at its 0.5 s limit" in caplog.text


def test_a_render_past_the_memory_limit_fails_cleanly(settings, children, caplog):
    settings.PDF_RENDER_TIMEOUT_SECONDS = 120  # the memory cap, not the clock, ends it
    settings.PDF_RENDER_MEMORY_MB = 150

    with pytest.raises(ReportTooLarge, match="150 MB of memory"):
        html_to_pdf(HEAVY)

    (child,) = children
    # Python's MemoryError, or a C library stopping the process: not the clock's SIGKILL.
    assert child.returncode not in (0, -signal.SIGKILL)
    assert_reaped(child)
    assert "hit its limits" in caplog.text


def test_the_child_caps_its_own_memory_and_cpu_time():
    limits = isolated.RenderLimits(timeout_seconds=0.5, memory_mb=300)
    # The CPU limit is a backstop a little past the clock: it holds if the parent dies.
    assert isolated.child_command(limits)[-3:] == [isolated.CHILD_MODULE, "300", "2"]
    code = (
        "import resource; from assessments.reports.render_child import apply_limits; "
        "apply_limits(300, 2); "
        "print(*resource.getrlimit(resource.RLIMIT_AS), *resource.getrlimit(resource.RLIMIT_CPU))"
    )

    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=isolated.PROJECT_ROOT,
        check=True,
    )

    assert result.stdout.split() == [str(300 * 1024 * 1024)] * 2 + ["2", "3"]


@pytest.mark.django_db
def test_a_normal_report_renders_the_same_text_in_the_child(clinic, plant_product, clinician):
    assessment = make_assessment(clinic=clinic, product=plant_product, user=clinician)
    html = render_to_string(REPORT_TEMPLATE, report_context(assessment))

    limits_before = resource.getrlimit(resource.RLIMIT_AS)

    isolated_pdf = html_to_pdf(html)

    assert resource.getrlimit(resource.RLIMIT_AS) == limits_before  # only the child is capped
    assert isolated_pdf.startswith(b"%PDF")
    assert pdf_text(isolated_pdf) == pdf_text(render_in_process(html))
    assert assessment.document_id in pdf_text(isolated_pdf)


def test_the_child_refuses_hostile_resources_and_drops_attachments():
    with pytest.raises(ReportRenderFailed, match="refused to load file:///etc/passwd") as error:
        html_to_pdf('<p>x</p><img src="file:///etc/passwd">')
    assert not isinstance(error.value, ReportTooLarge)

    pdf = html_to_pdf('<p>x</p><link rel="attachment" href="data:text/plain,secret-payload">')
    assert b"secret-payload" not in pdf and b"/EmbeddedFiles" not in pdf


def test_the_child_sees_no_secrets(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "not-for-the-child")
    monkeypatch.setenv("DATABASE_URL", "postgres://user:password@db/exocheck")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")

    environment = isolated.child_environment()

    assert "SECRET_KEY" not in environment and "DATABASE_URL" not in environment
    assert environment["LC_ALL"] == "C.UTF-8"


def test_a_library_that_runs_out_of_memory_is_reported_as_too_large(monkeypatch, caplog):
    # What GLib does under the memory cap: print why, then stop the process with a signal.
    glib = (
        "import os, signal, sys; sys.stderr.write('GLib-ERROR **: creating thread: Error "
        "creating thread: Resource temporarily unavailable'); sys.stderr.flush(); "
        "os.kill(os.getpid(), signal.SIGTRAP)"
    )
    monkeypatch.setattr(isolated, "child_command", lambda limits: [sys.executable, "-c", glib])

    with pytest.raises(ReportTooLarge, match="MB of memory"):
        html_to_pdf("<p>x</p>")

    assert "hit its limits" in caplog.text


def test_a_child_that_crashes_is_a_clean_failure(monkeypatch, caplog):
    crash = [sys.executable, "-c", "import os; os.abort()"]
    monkeypatch.setattr(isolated, "child_command", lambda limits: crash)

    with pytest.raises(ReportRenderFailed, match="renderer stopped unexpectedly") as error:
        html_to_pdf("<p>x</p>")

    assert not isinstance(error.value, ReportTooLarge)
    assert "render child failed" in caplog.text


# --- the callers: sign-off, preview, render command --------------------------------------


@pytest.fixture
def largest(clinic, plant_product, clinician, evidence_types):
    return make_largest_assessment(clinic=clinic, product=plant_product, user=clinician)


@pytest.mark.django_db
def test_the_largest_allowed_assessment_previews_and_signs_off(largest, manager, manager_client):
    preview = manager_client.get(reverse("assessments:report_preview", args=[largest.pk]))
    assert preview.status_code == 200
    assert preview["Content-Type"] == "application/pdf"
    assert preview.content.startswith(b"%PDF-")

    signed = sign(largest, manager, statement=largest_statement())

    signed.refresh_from_db()
    assert signed.status == Assessment.Status.FINALISED
    text = " ".join(pdf_text(signed.report_pdf.read()).split())
    assert " ".join(largest_answers()["inci"].split())[-60:] in text
    assert " ".join(largest_answers()["claims"].split())[-60:] in text


@pytest.mark.django_db
def test_an_over_limit_preview_shows_the_message_not_an_error(
    settings, clinic, plant_product, clinician, clinician_client, evidence_types
):
    draft = make_assessment(
        clinic=clinic,
        product=plant_product,
        user=clinician,
        status=Assessment.Status.DRAFT,
        **oversized_answers(),
    )
    settings.PDF_RENDER_TIMEOUT_SECONDS = SHORT_TIMEOUT

    response = clinician_client.get(
        reverse("assessments:report_preview", args=[draft.pk]), follow=True
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == draft.get_absolute_url()
    assert "The report is too large to produce" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.DRAFT


@pytest.mark.django_db
def test_an_over_limit_sign_off_signs_and_stores_nothing(
    settings, clinic, plant_product, clinician, manager, manager_client, evidence_types
):
    submitted = make_assessment(
        clinic=clinic, product=plant_product, user=clinician, **oversized_answers()
    )
    history_before = submitted.history.count()
    settings.PDF_RENDER_TIMEOUT_SECONDS = SHORT_TIMEOUT

    response = manager_client.post(
        reverse("assessments:sign_off", args=[submitted.pk]),
        sign_off_data(manager),
        follow=True,
    )

    assert response.status_code == 200
    assert "The report is too large to produce" in response.content.decode()
    assert "nothing was saved or signed" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED
    assert not submitted.report_pdf and not submitted.report_sha256
    assert submitted.history.count() == history_before
    assert not (Path(django_settings.MEDIA_ROOT) / "reports").exists()


@pytest.mark.django_db
def test_the_render_command_reports_an_over_limit_render(
    settings, clinic, plant_product, clinician, tmp_path
):
    submitted = make_assessment(
        clinic=clinic, product=plant_product, user=clinician, **oversized_answers()
    )
    settings.PDF_RENDER_TIMEOUT_SECONDS = SHORT_TIMEOUT
    output = tmp_path / "report.pdf"

    with pytest.raises(CommandError, match="too large to produce"):
        call_command("render_assessment_pdf", submitted.pk, "-o", str(output))

    assert not output.exists()


def test_production_renders_in_the_child_with_the_limits_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.PDF_RENDER_ISOLATED, s.PDF_RENDER_TIMEOUT_SECONDS, s.PDF_RENDER_MEMORY_MB)"
    )
    environment = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "EXOCHECK_TESTING": "false",
        "DEBUG": "true",
        "PATH": "",
        "PDF_RENDER_TIMEOUT_SECONDS": "7.5",
        "PDF_RENDER_MEMORY_MB": "768",
    }

    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
        env=environment,
        timeout=60,
    )
    refused = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
        env={**environment, "PDF_RENDER_MEMORY_MB": "256"},
        timeout=60,
    )

    assert result.stdout.split() == ["True", "7.5", "768"], result.stderr
    assert refused.returncode != 0
    assert "PDF_RENDER_MEMORY_MB at least 512" in refused.stderr
