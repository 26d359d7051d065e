"""Register export memory: peak RSS of one export at 1,000 and 10,000 assessments, streamed
(as the app now sends it) against the file built in memory (as it used to be).

    .venv/bin/python benchmarks/bench_export_memory.py             # about 3 minutes on 2 cores
    .venv/bin/python benchmarks/bench_export_memory.py --quick     # 200 and 1,000 rows
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/exocheck_bench \\
        .venv/bin/python benchmarks/bench_export_memory.py

A throwaway database (harness.environment: SQLite in a temporary folder, or a scratch
PostgreSQL database beside BENCH_DATABASE_URL) gets two clinics, one with each row count:
70% finalised (with a signed record, as sign-off stores it), 30% submitted or draft with two
documents each (their "What is missing" comes from the live checklist). Each measurement runs
in a fresh child process: Django is set up and a 10-row export warms the imports; then one
export runs and the child reports ru_maxrss (peak resident set) before and after, and, in a
second child, tracemalloc's peak of Python allocations during the export alone. A high-water
mark cannot be reset, hence one child per figure.

Modes: `csv-stream` (the CSV chunks the download sends, read and dropped as a client would),
`xlsx-file` (write-only workbook into a temporary file, as the download and the worker do),
`worker-csv` (the task the worker runs above REGISTER_EXPORT_SYNC_ROWS: file, hash, storage)
and `csv-bytes` (the whole file as one bytes object, the pre-streaming download) for contrast.
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ROOT, environment, manage, scratch_database  # noqa: E402

MODES = ("csv-stream", "xlsx-file", "worker-csv", "csv-bytes")
FINALISED_SHARE = 0.7


def _django(env):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- seeding (a child process) -----------------------------------------------------------------


def _clone(template, **changes):
    import uuid

    from assessments.models import Assessment

    values = {
        field.attname: getattr(template, field.attname)
        for field in Assessment._meta.concrete_fields
        if not field.primary_key
    }
    values.update(public_id=uuid.uuid4(), **changes)
    return Assessment(**values)


def seed(sizes):
    """One clinic per size, each with `size` assessments cloned in bulk from two templates."""
    from django.utils import timezone

    from assessments.models import Assessment, EvidenceItem
    from assessments.signed_record import build_signed_record
    from clinics.models import Clinic, Membership, Role
    from tests.factories import (
        AssessmentFactory,
        EvidenceItemFactory,
        ProductFactory,
        UserFactory,
        evaluated,
    )

    manager = UserFactory._meta.model.objects.filter(
        username="benchmanager"
    ).first() or UserFactory(username="benchmanager", first_name="Bench", last_name="Manager")
    for size in sizes:
        clinic = Clinic.objects.create(name=f"Clinic {size}", slug=f"clinic-{size}")
        Membership.objects.create(user=manager, clinic=clinic, role=Role.PRACTICE_MANAGER)
        product = ProductFactory(clinic=clinic)
        draft = AssessmentFactory(clinic=clinic, product=product, created_by=manager)
        items = [
            EvidenceItemFactory(assessment=draft, slug=slug, uploaded_by=manager)
            for slug in ("certificate-of-analysis", "gmp-certificate")
        ]
        draft = evaluated(draft)
        record = build_signed_record(draft, evidence=items)
        now = timezone.now()
        unsigned = int(size * (1 - FINALISED_SHARE))
        rows = [
            _clone(draft, status="submitted", submitted_at=now, submitted_by_id=manager.pk)
            if index % 2
            else _clone(draft, status="draft")
            for index in range(unsigned)
        ]
        rows += [
            _clone(
                draft,
                status=Assessment.Status.FINALISED,
                submitted_at=now,
                finalised_at=now,
                signed_by_id=manager.pk,
                signed_name="Bench Manager",
                signed_role="Practice manager",
                signature_meaning="approved",
                report_sha256="0" * 64,
                signed_record=record,
            )
            for _ in range(size - unsigned - 1)
        ]
        created = Assessment.objects.bulk_create(rows, batch_size=1000)
        documents = [
            EvidenceItem(
                clinic=clinic,
                assessment_id=row.pk,
                evidence_type_id=item.evidence_type_id,
                lab=item.lab,
                lot=item.lot,
                result=item.result,
                uploaded_by_id=manager.pk,
            )
            for row in created[:unsigned]
            for item in items
        ]
        EvidenceItem.objects.bulk_create(documents, batch_size=1000)
        assert Assessment.objects.filter(clinic=clinic).count() == size


# --- one measurement (a child process) ---------------------------------------------------------


def export(mode, clinic, manager, *, limit=None):
    """Run one export of `clinic`'s register in `mode`; returns the bytes produced."""
    from exports.register import register_queryset, register_rows
    from exports.register_files import csv_chunks, write_register_xlsx
    from exports.services import export_register

    assessments = register_queryset(clinic, {})
    if limit:
        assessments = assessments[:limit]
    if mode == "csv-stream":
        return sum(len(chunk) for chunk in csv_chunks(register_rows(assessments)))
    if mode == "xlsx-file":
        with tempfile.TemporaryFile() as target:
            write_register_xlsx(register_rows(assessments), target)
            return target.tell()
    if mode == "csv-bytes":
        return len(export_register(clinic=clinic, by=manager, filters={}, file_format="csv"))
    return _worker_export(clinic, manager)


def _worker_export(clinic, manager):
    from exports.models import ExportJob
    from exports.tasks import build_register_file

    job = ExportJob.objects.create(
        clinic=clinic, requested_by=manager, kind=ExportJob.Kind.REGISTER_CSV, filters={}
    )
    build_register_file.call(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.error
    return job.result_file.size


def measure(mode, size, trace):
    import tracemalloc

    from clinics.models import Clinic, User

    clinic = Clinic.objects.get(slug=f"clinic-{size}")
    manager = User.objects.get(username="benchmanager")
    export("csv-stream", clinic, manager, limit=10)  # warm-up: imports, first queries
    export("xlsx-file", clinic, manager, limit=10)
    before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    produced = export(mode, clinic, manager)
    seconds = time.perf_counter() - started
    result = {"mode": mode, "rows": size, "bytes": produced, "seconds": round(seconds, 2)}
    if trace:
        result["tracemalloc_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    else:
        after_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result["rss_before_mb"] = round(before_kb / 1024, 1)
        result["rss_peak_mb"] = round(after_kb / 1024, 1)
        result["rss_growth_mb"] = round((after_kb - before_kb) / 1024, 1)
    return result


# --- the parent: set up, one child per figure, report -----------------------------------------


def child(env, *args):
    output = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def run(args):
    sizes = (200, 1000) if args.quick else (1000, 10000)
    workdir = Path(tempfile.mkdtemp(prefix="exocheck-bench-export-"))
    try:
        with scratch_database(environment(workdir)) as env:
            manage(env, "migrate", "--noinput")
            child(env, "seed", *map(str, sizes))
            results = []
            for mode in MODES:
                for size in sizes:
                    figure = child(env, "measure", mode, str(size))
                    figure.update(child(env, "trace", mode, str(size)))
                    print(json.dumps(figure), flush=True)
                    results.append(figure)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report(results, env["DATABASE_URL"].split(":")[0])
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


def report(results, database):
    print(f"\nRegister export memory ({database}; RSS growth = peak minus after warm-up)\n")
    print("| mode | rows | file | seconds | peak RSS | RSS growth | tracemalloc peak |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['mode']} | {r['rows']:,} | {r['bytes'] / 2**20:.1f} MB | {r['seconds']} "
            f"| {r['rss_peak_mb']} MB | {r['rss_growth_mb']} MB | {r['tracemalloc_peak_mb']} MB |"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 and 1,000 rows")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.child:
        run(args)
        return
    _django(dict(os.environ))
    command, *rest = args.child
    if command == "seed":
        seed([int(size) for size in rest])
        print("{}")
    else:
        mode, size = rest
        print(json.dumps(measure(mode, int(size), trace=command == "trace")))


if __name__ == "__main__":
    main()
