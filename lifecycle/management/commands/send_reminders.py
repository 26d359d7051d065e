"""Send the day's after-sign-off reminders. Idempotent: run it daily from cron or a timer."""

from django.core.management.base import BaseCommand

from lifecycle.reminders import send_reminders


class Command(BaseCommand):
    help = "Send expiry and review-wait reminders to practice managers (safe to re-run)."

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"{sent} reminder(s) sent.")
