"""Compare stored files with the records that point at them.

    python manage.py check_storage [--delete-orphans] [--grace-minutes N]

Reports
- orphans: files under evidence/ and reports/ that no evidence item, assessment or history
  row points at (a history row keeps a withdrawn document's file: that is not an orphan);
- missing files: evidence items and assessments whose stored file is not there.

Exit status 0 when storage and records agree, 1 when anything is found (also when
--delete-orphans deleted the orphans it found: the operator should know they existed).
Files changed in the last --grace-minutes (default 60) are left out of the orphan check:
an upload in progress is stored a moment before its record is committed.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assessments.models import Assessment, EvidenceItem

CHECKED_FOLDERS = ("evidence", "reports")


def _storages() -> dict:
    return {
        "evidence": EvidenceItem._meta.get_field("file").storage,
        "reports": Assessment._meta.get_field("report_pdf").storage,
    }


def _storage_for(name: str):
    storages = _storages()
    return storages.get(name.split("/", 1)[0], storages["evidence"])


def _walk(storage, folder: str):
    """Every file name under `folder` in `storage` (FileSystemStorage, S3, ...)."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return  # nothing stored there yet
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from _walk(storage, f"{folder}/{directory}")


def _names(queryset, field: str) -> set[str]:
    return set(queryset.exclude(**{field: ""}).values_list(field, flat=True).distinct())


class Command(BaseCommand):
    help = "Report orphan evidence/report files and records whose file is missing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete-orphans",
            action="store_true",
            help="Delete the orphan files found (older than the grace period).",
        )
        parser.add_argument(
            "--grace-minutes",
            type=int,
            default=60,
            help="Leave out files changed this recently (uploads in progress). Default 60.",
        )

    def handle(self, *args, delete_orphans=False, grace_minutes=60, **options):
        referenced = (
            _names(EvidenceItem.objects.all(), "file")
            | _names(EvidenceItem.history.all(), "file")
            | _names(Assessment.objects.all(), "report_pdf")
            | _names(Assessment.history.all(), "report_pdf")
        )
        stored = {
            name for folder, storage in _storages().items() for name in _walk(storage, folder)
        }
        cutoff = timezone.now() - timedelta(minutes=grace_minutes)
        orphans = sorted(
            name
            for name in stored - referenced
            if grace_minutes <= 0 or _storage_for(name).get_modified_time(name) < cutoff
        )
        missing = self._missing(stored)

        for name in orphans:
            self.stdout.write(f"orphan file: {name}")
        for line in missing:
            self.stdout.write(f"missing file: {line}")
        if delete_orphans:
            for name in orphans:
                _storage_for(name).delete(name)
                self.stdout.write(f"deleted orphan: {name}")

        found = len(orphans) + len(missing)
        summary = (
            f"{len(stored)} stored file(s) checked under {', '.join(CHECKED_FOLDERS)}/: "
            f"{len(orphans)} orphan(s), {len(missing)} record(s) with a missing file"
        )
        if found:
            raise CommandError(summary, returncode=1)
        self.stdout.write(self.style.SUCCESS(summary))

    def _missing(self, stored: set[str]) -> list[str]:
        def present(name: str) -> bool:
            # Files under the walked folders are known; anything else is asked for.
            if name.split("/", 1)[0] in CHECKED_FOLDERS:
                return name in stored
            return _storage_for(name).exists(name)

        lines = []
        for pk, assessment_id, name in (
            EvidenceItem.objects.exclude(file="")
            .order_by("pk")
            .values_list("pk", "assessment_id", "file")
        ):
            if not present(name):
                lines.append(f"evidence item {pk} (assessment {assessment_id}) -> {name}")
        for pk, name in (
            Assessment.objects.exclude(report_pdf="").order_by("pk").values_list("pk", "report_pdf")
        ):
            if not present(name):
                lines.append(f"assessment {pk} report -> {name}")
        return lines
