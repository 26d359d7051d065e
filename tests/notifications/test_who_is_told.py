"""Who is notified of a submission, a return and a sign-off, and by email when."""

import ast

import pytest
from django.db import transaction

from clinics.models import Role
from notifications.models import Notification
from notifications.services import (
    absolute_link,
    notify_returned,
    notify_signed_off,
    notify_submitted,
)
from tests.factories import AssessmentFactory, ProductFactory
from tests.notifications.support import COMMENT, member, recipients
from tests.paths import REPO_ROOT

pytestmark = pytest.mark.django_db


# --- Who is told ----------------------------------------------------------------------------


def test_a_submission_tells_every_practice_manager_of_the_clinic_but_the_submitter(
    clinic,
    other_clinic,
    clinician,
    manager,
    clinic_admin,
    submitted,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    second = member(clinic, Role.PRACTICE_MANAGER, username="second-manager")
    submitter = member(clinic, Role.PRACTICE_MANAGER, username="submitting-manager")
    member(clinic, Role.PRACTICE_MANAGER, username="left-manager", is_active=False)
    member(other_clinic, Role.PRACTICE_MANAGER, username="other-clinics-manager")

    with django_capture_on_commit_callbacks(execute=True):
        created = notify_submitted(assessment=submitted, by=submitter)

    assert len(created) == 2
    assert recipients(Notification.Kind.SUBMITTED) == sorted([manager.username, second.username])
    notification = Notification.objects.get(recipient=manager)
    assert notification.clinic == clinic
    assert notification.url == submitted.get_absolute_url()
    assert str(submitted.product) in notification.title
    assert submitted.document_id in notification.body
    assert notification.read_at is None
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([manager.email, second.email])


def test_a_return_tells_the_author_with_the_managers_comment(
    clinician, manager, returned, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify_returned(assessment=returned, by=manager)

    [notification] = Notification.objects.all()
    assert notification.recipient == clinician
    assert notification.kind == Notification.Kind.RETURNED
    assert COMMENT in notification.body
    assert notification.url == returned.get_absolute_url()
    [mail] = mailoutbox
    assert mail.to == [clinician.email]
    assert COMMENT in mail.body
    assert "returned" in mail.subject


def test_a_sign_off_tells_the_author(
    clinician, manager, submitted, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify_signed_off(assessment=submitted, by=manager)

    [notification] = Notification.objects.all()
    assert (notification.recipient, notification.kind) == (clinician, "signed_off")
    assert "signed off" in notification.title
    [mail] = mailoutbox
    assert mail.to == [clinician.email]


def test_the_real_return_service_then_the_notification(
    clinician, manager, submitted, mailoutbox, django_capture_on_commit_callbacks
):
    from assessments.services.signoff import return_to_clinician

    with django_capture_on_commit_callbacks(execute=True):
        # The service itself notifies the author (wired in assessments/services/signoff.py).
        return_to_clinician(assessment=submitted, by=manager, comment=COMMENT)

    assert COMMENT in Notification.objects.get(recipient=clinician).body
    assert COMMENT in mailoutbox[0].body


def test_nobody_is_told_about_their_own_action(
    clinic, manager, mailoutbox, django_capture_on_commit_callbacks
):
    own = AssessmentFactory(product=ProductFactory(clinic=clinic), created_by=manager)

    with django_capture_on_commit_callbacks(execute=True):
        notify_returned(assessment=own, by=manager)
        notify_signed_off(assessment=own, by=manager)

    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_an_author_who_left_the_clinic_is_not_told(
    clinic, manager, returned, clinician, mailoutbox, django_capture_on_commit_callbacks
):
    clinician.memberships.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        notify_returned(assessment=returned, by=manager)

    assert not Notification.objects.exists()
    assert mailoutbox == []


# --- Email ----------------------------------------------------------------------------------


def test_no_email_for_a_user_without_an_address_but_the_notification_is_there(
    clinic, manager, product, mailoutbox, django_capture_on_commit_callbacks
):
    author = member(clinic, username="no-address", email="")
    assessment = AssessmentFactory(product=product, created_by=author, review_comment=COMMENT)

    with django_capture_on_commit_callbacks(execute=True):
        notify_returned(assessment=assessment, by=manager)

    assert Notification.objects.get().recipient == author
    assert mailoutbox == []


def test_email_is_sent_from_the_default_address_only_after_the_commit(
    settings, clinician, manager, returned, mailoutbox, django_capture_on_commit_callbacks
):
    settings.DEFAULT_FROM_EMAIL = "ExoCheck <alerts@exocheck.example>"

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify_returned(assessment=returned, by=manager)
        assert mailoutbox == []  # nothing is sent before the transaction commits

    assert len(callbacks) == 1
    callbacks[0]()
    [mail] = mailoutbox
    assert mail.from_email == "ExoCheck <alerts@exocheck.example>"


def test_a_rolled_back_write_sends_nothing_and_stores_nothing(
    manager, returned, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify_returned(assessment=returned, by=manager)
        raise RuntimeError("the caller's write failed")

    assert callbacks == []
    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_email_links_use_site_url_when_set_else_the_path(
    settings, manager, returned, mailoutbox, django_capture_on_commit_callbacks
):
    path = returned.get_absolute_url()
    settings.SITE_URL = "https://exocheck.example"
    with django_capture_on_commit_callbacks(execute=True):
        notify_returned(assessment=returned, by=manager)
    assert f"https://exocheck.example{path}" in mailoutbox[0].body

    settings.SITE_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        notify_returned(assessment=returned, by=manager)
    assert f"Open it in ExoCheck: {path}\n" in mailoutbox[1].body
    assert absolute_link(path) == path


def test_a_mail_server_failure_is_logged_not_raised(
    settings, manager, returned, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.notifications.test_who_is_told.BrokenBackend"

    with django_capture_on_commit_callbacks(execute=True):
        notify_returned(assessment=returned, by=manager)

    assert Notification.objects.count() == 1
    assert "could not be sent" in caplog.text


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_services_take_the_assessment_duck_typed_and_never_import_assessments():
    source = REPO_ROOT / "notifications"  # the app, not these tests
    for path in source.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            assert not any(name.split(".")[0] == "assessments" for name in names), path
