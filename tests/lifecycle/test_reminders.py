"""Reminders after sign-off: the walk approved → 30 days → 7 days → expired → re-assessed,
no duplicates on re-run, review waits, preferences and the signed unsubscribe link."""

import re
from datetime import date

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from lifecycle.models import ReminderKind, ReminderLog, ReminderPreference
from lifecycle.register import counts, register_rows
from lifecycle.reminders import send_reminders, unsubscribe_token
from lifecycle.status import Status, working_days_between
from notifications.models import Notification
from tests.factories import AssessmentFactory
from tests.lifecycle.support import products, signed_assessment

pytestmark = pytest.mark.django_db


def run_on(day: str) -> list[str]:
    """The subjects of the emails `send_reminders` sends on `day` (twice: idempotent)."""
    mail.outbox.clear()
    with time_machine.travel(f"{day} 08:00Z", tick=False):
        call_command("send_reminders", stdout=None)
        first = [message.subject for message in mail.outbox]
        call_command("send_reminders", stdout=None)
    assert [message.subject for message in mail.outbox] == first, "re-run sent again"
    return first


def test_the_walk_from_approval_to_reassessment(clinic, manager, clinician):
    (product,) = products(clinic, 1)
    product.name = "Rose Serum"
    product.save()
    with time_machine.travel("2026-06-01 09:00Z"):
        signed_assessment(product, finalised=date(2026, 6, 1))  # valid until 1 Jun 2027
    assert run_on("2026-06-02") == []
    assert run_on("2027-05-01") == []  # 31 days left
    assert run_on("2027-05-02") == ["Approval of Rose Serum expires on 01 Jun 2027 · ExoCheck"]
    assert run_on("2027-05-10") == []
    assert run_on("2027-05-25") == ["Approval of Rose Serum expires on 01 Jun 2027 · ExoCheck"]
    assert run_on("2027-06-01") == []  # its last valid day
    assert run_on("2027-06-02") == ["Approval of Rose Serum has expired · ExoCheck"]
    assert run_on("2027-06-03") == []
    with time_machine.travel("2027-06-04 09:00Z"):
        signed_assessment(product, finalised=date(2027, 6, 4))
    assert run_on("2027-06-05") == []
    assert run_on("2028-05-05") == ["Approval of Rose Serum expires on 04 Jun 2028 · ExoCheck"]
    assert ReminderLog.objects.count() == 4
    # Only the practice manager: in-app too, one per reminder.
    assert Notification.objects.filter(recipient=manager).count() == 4
    assert not Notification.objects.filter(recipient=clinician).exists()


def test_a_document_expiring_first_sets_the_reminder(clinic, manager):
    (product,) = products(clinic, 1)
    signed_assessment(product, finalised=date(2026, 11, 1), expiries=(date(2026, 12, 20),))
    (subject,) = run_on("2026-12-13")
    assert "expires on 20 Dec 2026" in subject
    assert mail.outbox[0].to == [manager.email]


def test_a_submission_waiting_more_than_three_working_days(clinic, manager):
    (product,) = products(clinic, 1)
    with time_machine.travel("2026-12-04 10:00Z"):  # a Friday
        AssessmentFactory(product=product, submitted=True)
    assert run_on("2026-12-09") == []  # Mon, Tue, Wed: 3 working days
    (subject,) = run_on("2026-12-10")
    assert "waited for review for more than 3 working days" in subject


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (date(2026, 12, 4), date(2026, 12, 7), 1),  # Fri → Mon
        (date(2026, 12, 4), date(2026, 12, 10), 4),
        (date(2026, 12, 1), date(2026, 12, 1), 0),
        (date(2026, 12, 5), date(2026, 12, 6), 0),  # a weekend
    ],
)
def test_working_days_between(start, end, days):
    assert working_days_between(start, end) == days


def test_email_off_still_notifies_in_app(clinic, manager):
    ReminderPreference.objects.create(user=manager, kind=ReminderKind.EXPIRY, email=False)
    (product,) = products(clinic, 1)
    signed_assessment(product, finalised=date(2025, 1, 1))
    assert run_on("2026-12-01") == []
    assert Notification.objects.filter(recipient=manager).count() == 1


def test_the_unsubscribe_link_turns_off_that_kind_only(clinic, manager, client):
    (product,) = products(clinic, 1)
    signed_assessment(product, finalised=date(2025, 1, 1))
    run_on("2026-12-01")
    (message,) = mail.outbox
    (url,) = re.findall(r"/register/unsubscribe/\S+/", message.body)
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert client.get(url).status_code == 200  # a GET (link scanners) changes nothing
    assert ReminderPreference.emails_on(manager, "expiry")
    assert client.post(url).status_code == 200  # no login, no CSRF token: one click
    assert not ReminderPreference.emails_on(manager, "expiry")
    assert ReminderPreference.emails_on(manager, "review")


def test_a_tampered_token_changes_nothing(manager, client):
    token = unsubscribe_token(user_id=manager.pk, kind="expiry")
    response = client.post(reverse("lifecycle:unsubscribe", args=[token[:-2] + "xx"]))
    assert "not valid" in response.content.decode()
    assert ReminderPreference.emails_on(manager, "expiry")


def test_preferences_page(manager_client, manager):
    url = reverse("lifecycle:preferences")
    assert manager_client.get(url).status_code == 200
    response = manager_client.post(url, {"review": "on"})
    assert response.status_code == 302
    assert not ReminderPreference.emails_on(manager, "expiry")
    assert ReminderPreference.emails_on(manager, "review")


def test_send_reminders_returns_the_count(clinic, manager):
    (product,) = products(clinic, 1)
    signed_assessment(product, finalised=date(2025, 1, 1))
    with time_machine.travel("2026-12-01 08:00Z", tick=False):
        assert send_reminders() == 1
        assert send_reminders() == 0


def test_the_walk_in_the_register_and_its_reminders(clinic, manager):
    """approved → expiring → expired → re-assessment open → approved: the register status
    and the dashboard count on each day, and exactly the reminders of that day."""
    (product,) = products(clinic, 1)
    product.name = "Rose Serum"
    product.save()
    signed_assessment(product, finalised=date(2026, 6, 1))  # valid until 1 Jun 2027

    def status_on(day: str) -> tuple[str, int, int]:
        today = date.fromisoformat(day)
        (row,) = register_rows(clinic, {}, today=today)
        numbers = counts(clinic, today=today)
        return row.status, numbers["expiring"], numbers["expired"]

    expiring = ["Approval of Rose Serum expires on 01 Jun 2027 · ExoCheck"]
    walk = [
        ("2026-06-02", (Status.APPROVED, 0, 0), []),
        ("2027-05-02", (Status.APPROVED, 1, 0), expiring),
        ("2027-05-25", (Status.APPROVED, 1, 0), expiring),
        ("2027-06-02", (Status.EXPIRED, 0, 1), ["Approval of Rose Serum has expired · ExoCheck"]),
    ]
    for day, status, reminders in walk:
        assert (status_on(day), run_on(day)) == (status, reminders), day
    draft = AssessmentFactory(product=product)  # the re-assessment, started
    assert status_on("2027-06-03")[0] == Status.PENDING
    assert run_on("2027-06-03") == []
    draft.delete()  # signed off below as a new assessment
    signed_assessment(product, finalised=date(2027, 6, 4))
    assert (status_on("2027-06-05"), run_on("2027-06-05")) == ((Status.APPROVED, 0, 0), [])
    assert ReminderLog.objects.count() == 3
