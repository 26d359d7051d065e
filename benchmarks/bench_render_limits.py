"""Render limits benchmark: the largest report the field limits allow, against a normal one,
and the cost of rendering in the limited child process instead of in-process — in one run.

    .venv/bin/python benchmarks/bench_render_limits.py            # about 3 minutes on 2 cores
    .venv/bin/python benchmarks/bench_render_limits.py --quick    # fewer renders, a smoke test

A throwaway instance (SQLite file, DEBUG off, as harness.py sets up) holds a normal draft
(4 documents, short answers) and the largest assessment the limits allow (INCI and claims at
20,000 characters, the three answers at 10,000, 60 documents with the longest names). Both
reports' HTML is rendered once; then each is made into a PDF in-process (bare WeasyPrint) and
through the limited child (`html_to_pdf`, what the app does), alternately, after a warm-up.
Finally a render far past the limits shows how soon it is stopped, and the largest report is
tried under smaller memory caps. Compare the ratios, not the absolute numbers: they drift with
the machine's load. Results go to stdout (and --json).
"""

import argparse
import io
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from harness import ROOT, environment, manage, summary


def timed(function, count):
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


def report_html(assessment):
    from django.template.loader import render_to_string

    from assessments.reports.context import REPORT_TEMPLATE, load_for_report, report_context

    return render_to_string(REPORT_TEMPLATE, report_context(load_for_report(assessment.pk)))


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def compare(html, iterations):
    """Median in-process and isolated render of `html`, interleaved so load drifts evenly."""
    from assessments.reports.pdf import html_to_pdf, render_in_process

    bare, isolated = [], []
    for _ in range(iterations):
        bare += timed(lambda: render_in_process(html), 1)
        isolated += timed(lambda: html_to_pdf(html), 1)
    return summary(bare), summary(isolated), html_to_pdf(html)


def over_limit(seconds):
    """How long a render far past the limits holds its caller (timeout `seconds`)."""
    from django.test import override_settings

    from assessments.errors import ReportTooLarge
    from assessments.reports.pdf import html_to_pdf
    from tests.render_limits_support import heavy_html

    html = heavy_html(2_400_000)
    started = time.perf_counter()
    with override_settings(PDF_RENDER_TIMEOUT_SECONDS=seconds):
        try:
            html_to_pdf(html)
        except ReportTooLarge:
            pass
        else:
            raise RuntimeError("a 2.4 MB paste rendered within the limits")
    return time.perf_counter() - started


def memory_caps(html, caps):
    """Which memory caps (MB) the largest allowed report renders under."""
    from django.test import override_settings

    from assessments.errors import ReportRenderFailed, ReportTooLarge
    from assessments.reports.pdf import html_to_pdf

    fits = {}
    for cap in caps:
        with override_settings(PDF_RENDER_MEMORY_MB=cap):
            try:
                html_to_pdf(html)
                fits[cap] = "rendered"
            except ReportTooLarge:
                fits[cap] = "too large"
            except ReportRenderFailed:
                fits[cap] = "failed"
    return fits


def records(env):
    """A clinic, a manager and a product, and the two assessments: a normal draft and the
    largest the field limits allow (no sign-off: nothing here needs one)."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from assessments.models import Assessment
    from clinics.models import Clinic, Membership, Role, User
    from products.models import ExosomeProduct
    from suppliers.models import Supplier
    from tests.render_limits_support import make_largest_assessment
    from tests.reporting import make_assessment

    clinic = Clinic.objects.create(name="Bench Clinic", slug="bench", address="1 Bench St")
    manager = User.objects.create_user("benchmanager", first_name="Bench")
    Membership.objects.create(user=manager, clinic=clinic, role=Role.PRACTICE_MANAGER)
    supplier = Supplier.objects.create(clinic=clinic, legal_name="Verdant Botanics Ltd")
    product = ExosomeProduct.objects.create(
        clinic=clinic, supplier=supplier, name="Green Tea Exosome Serum", marketed_as="cosmetic"
    )
    people = {"clinic": clinic, "product": product, "user": manager}
    normal = make_assessment(**people, status=Assessment.Status.DRAFT)
    return normal, make_largest_assessment(**people)


def run(args):
    workdir = Path(tempfile.mkdtemp(prefix="exocheck-bench-limits-"))
    env = environment(workdir)
    print(f"work folder {workdir}", file=sys.stderr)
    try:
        manage(env, "migrate", "--noinput")
        normal, largest = records(env)
        from django.conf import settings

        normal_html, largest_html = report_html(normal), report_html(largest)
        results = {
            "load_average_before": os.getloadavg(),
            "limits": {
                "timeout_s": settings.PDF_RENDER_TIMEOUT_SECONDS,
                "memory_mb": settings.PDF_RENDER_MEMORY_MB,
                "isolated": settings.PDF_RENDER_ISOLATED,
            },
            "html_chars": {"normal": len(normal_html), "largest": len(largest_html)},
        }
        compare(normal_html, 1)  # warm-up: imports WeasyPrint here, loads fonts
        normal_bare, normal_isolated, normal_pdf = compare(normal_html, args.iterations)
        largest_bare, largest_isolated, largest_pdf = compare(largest_html, args.large_iterations)
        results["normal"] = {
            "pages": page_count(normal_pdf),
            "pdf_bytes": len(normal_pdf),
            "in_process": normal_bare,
            "isolated": normal_isolated,
        }
        results["largest"] = {
            "pages": page_count(largest_pdf),
            "pdf_bytes": len(largest_pdf),
            "in_process": largest_bare,
            "isolated": largest_isolated,
            # The largest resident size of any child so far (migrate included).
            "children_max_rss_mb": round(
                resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
            ),
        }

        def ratio(a, b):
            return round(a["median_ms"] / b["median_ms"], 2)

        results["ratio_largest_vs_normal_isolated"] = ratio(largest_isolated, normal_isolated)
        results["ratio_largest_vs_normal_in_process"] = ratio(largest_bare, normal_bare)
        results["ratio_isolated_vs_in_process_normal"] = ratio(normal_isolated, normal_bare)
        results["ratio_isolated_vs_in_process_largest"] = ratio(largest_isolated, largest_bare)
        results["ratio_largest_isolated_vs_timeout"] = round(
            largest_isolated["median_ms"] / 1000 / settings.PDF_RENDER_TIMEOUT_SECONDS, 2
        )
        stopped = over_limit(args.over_limit_timeout)
        results["over_limit_2_4_mb_paste"] = {
            "timeout_s": args.over_limit_timeout,
            "stopped_after_s": round(stopped, 2),
            "ratio_vs_timeout": round(stopped / args.over_limit_timeout, 2),
        }
        if args.caps:
            results["largest_renders_under_memory_cap_mb"] = memory_caps(largest_html, args.caps)
        results["load_average_after"] = os.getloadavg()
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=8, help="renders of the normal report")
    parser.add_argument("--large-iterations", type=int, default=4, help="of the largest report")
    parser.add_argument("--over-limit-timeout", type=float, default=5.0)
    parser.add_argument("--caps", type=int, nargs="*", default=[192, 256, 384, 512], help="MB")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    if args.quick:
        args.iterations, args.large_iterations, args.caps = 3, 1, []
    results = run(args)
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
