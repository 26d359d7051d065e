"""Every PDF the app renders goes through here: a fresh child process with hard limits.

One pasted 2.4 MB ingredient list once made a render take minutes, so the web worker timed
out, other users' pages stalled and that assessment could never be signed. Rendering now
runs in `python -m assessments.reports.render_child`, a new interpreter (never a fork of a
process holding database connections or threads), with

- a wall-clock limit, PDF_RENDER_TIMEOUT_SECONDS: past it the child is killed and reaped;
- a memory limit, PDF_RENDER_MEMORY_MB: the child caps its own address space (RLIMIT_AS);
- a CPU-time limit just above the timeout (RLIMIT_CPU), which ends the child even if this
  process dies while waiting for it.

Template rendering stays in this process; the child gets only the HTML and an environment
without the project's secrets. A render that goes over a limit raises ReportTooLarge,
whose message the callers show (preview, sign-off, render_assessment_pdf); anything else that
goes wrong raises ReportRenderFailed. Starting the child costs about half a second (the
WeasyPrint import); docs/performance.md has the figures.
"""

from __future__ import annotations

import logging
import math
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from assessments.errors import ReportRenderFailed, ReportTooLarge
from assessments.reports import render_child

logger = logging.getLogger("exocheck.reports")

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHILD_MODULE = "assessments.reports.render_child"
# What the child sees of the environment: where to find libraries, fonts, locale and a
# temporary folder. Never the database URL, the secret key or any credential.
PASSED_VARIABLES = frozenset(
    {"PATH", "HOME", "LANG", "LANGUAGE", "TMPDIR", "TZ", "LD_LIBRARY_PATH", "SYSTEMROOT"}
)
PASSED_PREFIXES = ("LC_", "XDG_", "FONTCONFIG_", "DYLD_", "WEASYPRINT_")
# A child ended by one of these signals hit a limit: SIGXCPU past the CPU soft limit,
# SIGKILL past its hard limit (or from the kernel's out-of-memory killer), SIGSEGV when C
# code that does not check malloc's result runs into the address-space cap (seen in CI on
# PostgreSQL runs, with nothing on stderr).
LIMIT_SIGNALS = frozenset({signal.SIGXCPU, signal.SIGKILL, signal.SIGSEGV})
# Under the memory cap the C libraries do not raise MemoryError: GLib aborts (SIGTRAP or
# SIGABRT) saying it could not allocate memory or start a thread. Their words, lower case:
OUT_OF_MEMORY_WORDS = (
    "cannot allocate memory",
    "out of memory",
    "failed to allocate",
    "error creating thread",
    "resource temporarily unavailable",
)

TOO_LARGE = (
    "The report is too large to produce: rendering it needed more than {seconds:g} {unit} "
    "or {memory} MB of memory, so it was stopped and nothing was saved or signed. Shorten the "
    "longest texts (the ingredient list, the claims or the supplier's answers), for example "
    "by uploading them as a document, and try again."
)
CRASHED = (
    "The PDF report could not be produced: the renderer stopped unexpectedly, so nothing was "
    "saved or signed. Try again; if it fails again, shorten the longest texts."
)


@dataclass(frozen=True)
class RenderLimits:
    timeout_seconds: float
    memory_mb: int

    @classmethod
    def from_settings(cls) -> RenderLimits:
        return cls(float(settings.PDF_RENDER_TIMEOUT_SECONDS), int(settings.PDF_RENDER_MEMORY_MB))

    @property
    def cpu_seconds(self) -> int:
        # A backstop: the wall-clock timeout normally ends the child first.
        return math.ceil(self.timeout_seconds) + 1

    def too_large(self) -> ReportTooLarge:
        seconds = self.timeout_seconds
        unit = "second" if seconds == 1 else "seconds"
        return ReportTooLarge(TOO_LARGE.format(seconds=seconds, unit=unit, memory=self.memory_mb))


def child_environment() -> dict[str, str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name in PASSED_VARIABLES or name.startswith(PASSED_PREFIXES)
    }
    # glibc reserves 64 MB of address space per thread arena; two arenas keep the memory
    # cap about what the render uses (the largest allowed report: ~210 MB instead of ~300).
    environment["MALLOC_ARENA_MAX"] = "2"
    return environment


def child_command(limits: RenderLimits) -> list[str]:
    return [sys.executable, "-m", CHILD_MODULE, str(limits.memory_mb), str(limits.cpu_seconds)]


def render_isolated(html: str, *, limits: RenderLimits | None = None) -> bytes:
    """The PDF of `html`, rendered in a child process within `limits` (default: settings)."""
    limits = limits or RenderLimits.from_settings()
    started = time.monotonic()
    try:
        result = subprocess.run(
            child_command(limits),
            input=html.encode("utf-8"),
            capture_output=True,
            timeout=limits.timeout_seconds,
            cwd=PROJECT_ROOT,
            env=child_environment(),
            check=False,
        )
    except subprocess.TimeoutExpired:
        # run() has killed the child (SIGKILL) and waited for it: nothing is left running.
        logger.warning(
            "PDF render stopped at its %g s limit (%d characters of HTML)",
            limits.timeout_seconds,
            len(html),
        )
        raise limits.too_large() from None
    except OSError as error:
        logger.error("The PDF render child could not be started: %s", error)
        raise ReportRenderFailed(CRASHED) from error
    return _outcome(result, limits, seconds=time.monotonic() - started, html_chars=len(html))


def _outcome(
    result: subprocess.CompletedProcess[bytes],
    limits: RenderLimits,
    *,
    seconds: float,
    html_chars: int,
) -> bytes:
    code = result.returncode
    if code == 0 and result.stdout.startswith(b"%PDF"):
        return result.stdout
    detail = result.stderr.decode("utf-8", "replace").strip()
    if code == render_child.EXIT_REFUSED:
        # The strict fetcher refused a resource: the message names it, as in-process.
        reason = detail.splitlines()[-1] if detail else "a resource was refused"
        raise ReportRenderFailed(f"The PDF report could not be produced: {reason}")
    if code == render_child.EXIT_OUT_OF_MEMORY or -code in LIMIT_SIGNALS or _out_of_memory(detail):
        logger.warning(
            "PDF render hit its limits (%g s, %d MB; exit %s after %.1f s, %d characters of HTML)",
            limits.timeout_seconds,
            limits.memory_mb,
            code,
            seconds,
            html_chars,
        )
        raise limits.too_large()
    logger.error("The PDF render child failed (exit %s): %s", code, detail[-4000:])
    raise ReportRenderFailed(CRASHED)


def _out_of_memory(detail: str) -> bool:
    text = detail.lower()
    return any(words in text for words in OUT_OF_MEMORY_WORDS)
