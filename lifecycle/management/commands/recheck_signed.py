"""List signed assessments whose verdict or findings the current rules would change."""

from django.core.management.base import BaseCommand

from lifecycle.recheck import changed_assessments


class Command(BaseCommand):
    help = "Re-evaluate every signed assessment under the current rules (read only)."

    def handle(self, *args, **options):
        changes = changed_assessments()
        for change in changes:
            a = change.assessment
            self.stdout.write(
                f"{a.document_id}: {change.signed_verdict} -> {change.current_verdict} "
                f"({change.current_ruleset})"
            )
            for finding in change.removed:
                self.stdout.write(
                    f"  - {finding['rule']} {finding['severity']}: {finding['title']}"
                )
            for finding in change.added:
                self.stdout.write(
                    f"  + {finding['rule']} {finding['severity']}: {finding['title']}"
                )
        self.stdout.write(f"{len(changes)} signed assessment(s) would change.")
