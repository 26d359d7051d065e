"""Delete the supplier pages' per-address counters of addresses not seen for a day
(PORTAL_THROTTLE_RETENTION_HOURS). Idempotent: run it daily from cron or a timer, next to
send_reminders."""

from django.core.management.base import BaseCommand

from portal.throttle import prune, retention


class Command(BaseCommand):
    help = "Delete idle supplier-page rate-limit rows (safe to re-run; active limits are kept)."

    def handle(self, *args, **options):
        deleted = prune()
        hours = int(retention().total_seconds() // 3600)
        self.stdout.write(f"{deleted} idle address counter(s) deleted (idle for over {hours} h).")
