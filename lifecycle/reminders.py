"""Reminders after sign-off, sent by `manage.py send_reminders` (once a day, from cron).

To each practice manager of the clinic: an in-app notification always, and an email unless
they turned that kind off (ReminderPreference). Every email carries a signed one-click
unsubscribe link for that kind only. ReminderLog's unique key (assessment, kind, threshold)
makes a re-run on the same day, or any later day, send nothing twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from clinics.models import Clinic, Role
from lifecycle.models import ReminderKind, ReminderLog, ReminderPreference
from lifecycle.register import register_rows
from lifecycle.status import REVIEW_WAIT_WORKING_DAYS, expiry_threshold, working_days_between
from notifications.models import Notification
from notifications.services import absolute_link

logger = logging.getLogger("exocheck.lifecycle")
SALT = "lifecycle.unsubscribe"


@dataclass(frozen=True)
class Due:
    assessment: Assessment
    kind: str
    threshold: str
    title: str
    body: str


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if data.get("k") not in ReminderKind.values:
        return None
    return int(data["u"]), data["k"]


def _expiry_due(clinic: Clinic, today: date) -> list[Due]:
    due = []
    for row in register_rows(clinic, {}, today=today, recheck=False):
        until, signed = row.outcome.valid_until, row.assessment
        threshold = expiry_threshold(until, today) if until and signed else None
        if threshold is None:
            continue
        name = signed.names.product.name
        when = "has expired" if threshold == "expired" else f"expires on {until:%d %b %Y}"
        due.append(
            Due(
                signed,
                ReminderKind.EXPIRY,
                threshold,
                f"Approval of {name} {when}",
                f"The approval of {name} ({signed.document_id}) {when}: the earliest of its "
                "documents' expiry and the re-assessment date. Re-assess it to keep it in use.",
            )
        )
    return due


def _review_due(clinic: Clinic, today: date) -> list[Due]:
    waiting = Assessment.objects.for_clinic(clinic).submitted().select_related("product")
    due = []
    for a in waiting:
        submitted = timezone.localdate(a.submitted_at)
        if working_days_between(submitted, today) <= REVIEW_WAIT_WORKING_DAYS:
            continue
        title = (
            f"{a.product} has waited for review for more than "
            f"{REVIEW_WAIT_WORKING_DAYS} working days"
        )
        body = (
            f"{a.document_id} ({a.product}) was submitted on {submitted:%d %b %Y} "
            "and is still waiting for review."
        )
        due.append(Due(a, ReminderKind.REVIEW, "waiting", title, body))
    return due


def _managers(clinic: Clinic):
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__clinic=clinic,
            memberships__role=Role.PRACTICE_MANAGER,
        )
        .distinct()
    )


def _email(user, due: Due) -> None:
    token = unsubscribe_token(user_id=user.pk, kind=due.kind)
    link = absolute_link(reverse("lifecycle:unsubscribe", args=[token]))
    url = absolute_link(due.assessment.get_absolute_url())
    message = EmailMessage(
        subject=f"{due.title} · ExoCheck",
        body=(
            f"{due.body}\n\n{url}\n\n"
            f"Stop these emails ({ReminderKind(due.kind).label.lower()}): {link}\n"
        ),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    try:
        message.send()
    except Exception:  # an email that cannot be sent never undoes the reminder
        logger.exception("Reminder email to user %s failed", user.pk)


def _send(clinic: Clinic, due: Due, today: date, managers: list) -> bool:
    try:
        with transaction.atomic():
            ReminderLog.objects.create(
                clinic=clinic,
                assessment=due.assessment,
                kind=due.kind,
                threshold=due.threshold,
                sent_on=today,
            )
            Notification.objects.bulk_create(
                Notification(
                    clinic=clinic,
                    recipient=user,
                    title=due.title[:300],
                    body=due.body,
                    url=due.assessment.get_absolute_url(),
                )
                for user in managers
            )
    except IntegrityError:
        return False  # already sent
    for user in managers:
        if user.email and ReminderPreference.emails_on(user, due.kind):
            _email(user, due)
    return True


def send_reminders(*, today: date | None = None) -> int:
    """Every clinic's due reminders not yet sent; the number sent."""
    today = today or timezone.localdate()
    sent = 0
    for clinic in Clinic.objects.all():
        managers = _managers(clinic)
        done = set(
            ReminderLog.objects.filter(clinic=clinic).values_list(
                "assessment_id", "kind", "threshold"
            )
        )
        for due in _expiry_due(clinic, today) + _review_due(clinic, today):
            if (due.assessment.pk, due.kind, due.threshold) not in done:
                sent += _send(clinic, due, today, managers)
    return sent
