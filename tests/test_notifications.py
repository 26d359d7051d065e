"""Notifications: who is told about a submitted, returned or signed-off assessment (in the app
and by email), the bell and the Review count in the navbar, the notifications page, and the
"Returned" state on the dashboard and the assessments list."""

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinics.models import Role
from notifications.context_processors import NavCounts
from notifications.models import Notification
from notifications.services import (
    absolute_link,
    notify,
    notify_returned,
    notify_signed_off,
    notify_submitted,
)
from tests.factories import AssessmentFactory, MembershipFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

COMMENT = "Please upload this lot's certificate of analysis."
LIST_URL = "/notifications/"


def member(clinic, role=Role.CLINICIAN, **user_fields):
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, clinic=clinic, role=role)
    return user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def product(clinic):
    return ProductFactory(clinic=clinic)


@pytest.fixture
def submitted(product, clinician):
    return AssessmentFactory(product=product, created_by=clinician, submitted=True)


@pytest.fixture
def returned(product, clinician):
    """A draft a practice manager sent back (what return_to_clinician leaves behind)."""
    return AssessmentFactory(product=product, created_by=clinician, review_comment=COMMENT)


def recipients(kind=None):
    rows = Notification.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    return sorted(n.recipient.username for n in rows)


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
    settings.EMAIL_BACKEND = "tests.test_notifications.BrokenBackend"

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
    source = Path(__file__).resolve().parents[1] / "notifications"
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


# --- The notifications page -----------------------------------------------------------------


def make(user, clinic, title="Something happened", url="/assessments/", **fields):
    return Notification.objects.create(
        clinic=clinic, recipient=user, title=title, url=url, **fields
    )


def test_the_page_lists_the_users_own_notifications_newest_first(
    clinic, clinician, manager, clinician_client
):
    old = make(clinician, clinic, "Older news", created_at=timezone.now() - timedelta(days=1))
    new = make(clinician, clinic, "Newer news")
    make(manager, clinic, "The manager's own news")

    page = clinician_client.get(LIST_URL).content.decode()

    assert page.index(new.title) < page.index(old.title)
    assert "The manager&#x27;s own news" not in page
    assert reverse("notifications:open", args=[new.pk]) in page


def test_the_page_has_an_empty_state(clinician_client):
    page = clinician_client.get(LIST_URL).content.decode()

    assert "No notifications yet." in page
    assert "Mark all as read" not in page


def test_the_page_is_paginated(clinic, clinician, clinician_client, settings):
    for number in range(settings.PAGINATE_BY + 3):
        make(clinician, clinic, f"Notice number {number:02d}")

    first = clinician_client.get(LIST_URL)
    second = clinician_client.get(LIST_URL, {"page": 2})

    assert len(first.context["page"].object_list) == settings.PAGINATE_BY
    assert len(second.context["page"].object_list) == 3
    assert "Page 1 of 2" in first.content.decode()


def test_a_user_of_another_clinic_never_sees_this_clinics_notifications(
    clinic, clinician, other_clinician_client
):
    notification = make(clinician, clinic, "Harley only")

    assert "Harley only" not in other_clinician_client.get(LIST_URL).content.decode()
    opened = other_clinician_client.post(reverse("notifications:open", args=[notification.pk]))
    assert opened.status_code == 404
    other_clinician_client.post(reverse("notifications:mark_all_read"))
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_member_of_two_clinics_sees_only_the_current_clinics(clinic, other_clinic):
    both = member(clinic, username="two-clinics")
    MembershipFactory(user=both, clinic=other_clinic, role=Role.CLINICIAN)
    make(both, clinic, "From Harley")
    elsewhere = make(both, other_clinic, "From the other clinic")
    client = signed_in(both)  # the first membership, Harley, is the current clinic

    page = client.get(LIST_URL).content.decode()

    assert "From Harley" in page
    assert "From the other clinic" not in page
    assert "Notifications, 1 unread" in page
    assert client.post(reverse("notifications:open", args=[elsewhere.pk])).status_code == 404


def test_opening_one_marks_it_read_and_goes_to_its_page(clinic, clinician, clinician_client):
    notification = make(clinician, clinic, url="/assessments/42/")

    response = clinician_client.post(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/assessments/42/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_needs_a_post(clinic, clinician, clinician_client):
    notification = make(clinician, clinic)

    response = clinician_client.get(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_opening_someone_elses_is_a_404(clinic, manager, clinician_client):
    notification = make(manager, clinic)

    assert (
        clinician_client.post(reverse("notifications:open", args=[notification.pk])).status_code
        == 404
    )


def test_opening_one_with_an_outside_url_stays_in_the_app(clinic, clinician, clinician_client):
    for url in ["https://evil.example/", "//evil.example/x", ""]:
        notification = make(clinician, clinic, url=url)
        response = clinician_client.post(reverse("notifications:open", args=[notification.pk]))
        assert response["Location"] == LIST_URL, url


def test_mark_all_read_marks_only_the_users_own_in_this_clinic(
    clinic, other_clinic, clinician, manager, clinician_client
):
    mine = [make(clinician, clinic), make(clinician, clinic)]
    theirs = make(manager, clinic)
    already = make(clinician, clinic, read_at=timezone.now() - timedelta(days=1))
    read_before = already.read_at

    response = clinician_client.post(reverse("notifications:mark_all_read"))

    assert response.status_code == 302
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert Notification.objects.get(pk=already.pk).read_at == read_before


# --- The bell and the Review count ----------------------------------------------------------


def test_the_bell_shows_the_unread_count_for_screen_readers_too(
    clinic, clinician, clinician_client
):
    make(clinician, clinic)
    make(clinician, clinic)
    make(clinician, clinic, read_at=timezone.now())

    page = clinician_client.get("/").content.decode()

    assert "Notifications, 2 unread" in page
    assert f'href="{LIST_URL}"' in page


def test_the_bell_drops_to_zero_once_read(clinic, clinician, clinician_client):
    notification = make(clinician, clinic)
    clinician_client.post(reverse("notifications:open", args=[notification.pk]))

    assert "Notifications, 0 unread" in clinician_client.get("/").content.decode()


def test_no_bell_without_a_clinic(client, staff_client):
    assert "Notifications," not in client.get("/accounts/login/").content.decode()
    page = staff_client.get(reverse("password_change")).content.decode()
    assert "Notifications," not in page


def test_the_navbar_counts_cost_one_query_and_only_when_shown(
    rf, clinic, manager, submitted, django_assert_num_queries
):
    make(manager, clinic)
    request = rf.get("/")
    request.user, request.clinic = manager, clinic
    request.membership = manager.memberships.get()

    with django_assert_num_queries(0):
        counts = NavCounts(request)  # nothing is counted until a template asks
    with django_assert_num_queries(1):
        assert (counts.unread, counts.waiting_review) == (1, 1)
    with django_assert_num_queries(0):
        assert counts.unread == 1


def test_the_review_menu_and_the_dashboard_show_what_waits_for_review(
    clinic, product, clinician, submitted, manager_client
):
    AssessmentFactory(product=product, created_by=clinician, submitted=True)
    AssessmentFactory(product=product, created_by=clinician)  # a draft does not wait

    page = manager_client.get("/").content.decode()

    assert "2 waiting for your review" in page
    assert f'href="{reverse("assessments:review_queue")}"' in page
    # The Review menu item: named "Review", with the count as its badge and description.
    assert 'aria-describedby="review-waiting"' in page
    assert ">2 waiting for review</span>" in page


def test_clinicians_see_no_review_count(submitted, clinician_client):
    page = clinician_client.get("/").content.decode()

    assert "waiting for your review" not in page


def test_another_clinics_submissions_are_not_counted(other_clinic, other_product, manager_client):
    AssessmentFactory(product=other_product, submitted=True)

    page = manager_client.get("/").content.decode()

    assert "Nothing is waiting for your review." in page


# --- The returned state ---------------------------------------------------------------------


def test_the_dashboard_has_a_returned_to_you_section_for_the_author(returned, clinician_client):
    page = clinician_client.get("/").content.decode()

    assert "Returned to you (1)" in page
    assert "this lot&#x27;s certificate of analysis" in page
    resume = reverse("assessments:step", args=[returned.pk, returned.current_step])
    assert f'href="{resume}">Resume' in page
    assert '<span class="badge text-bg-warning">Returned</span>' in page
    # Not listed twice: it is not among the other drafts.
    assert page.count(f'href="{resume}"') == 1
    assert "No other drafts." in page


def test_someone_elses_returned_draft_is_marked_returned_but_not_returned_to_you(
    returned, manager_client
):
    page = manager_client.get("/").content.decode()

    assert "Returned to you" not in page
    assert "Returned</span>" in page  # the badge in "Drafts to finish" and "Recent"
    assert "this lot&#x27;s certificate" not in page


def test_the_assessments_list_shows_returned_not_draft(
    returned, product, clinician, clinician_client
):
    AssessmentFactory(product=product, created_by=clinician, batch_lot="PLAIN-DRAFT")

    response = clinician_client.get(reverse("assessments:list"))
    rows = {a.pk: a for a in response.context["page"].object_list}
    page = response.content.decode()

    assert len(rows) == 2
    assert page.count('<span class="badge text-bg-warning">Returned</span>') == 1


def test_a_plain_draft_is_not_returned(product, clinician, clinician_client):
    AssessmentFactory(product=product, created_by=clinician)

    page = clinician_client.get("/").content.decode()

    assert "Returned" not in page


def test_notify_is_generic_too(clinic, clinician, manager):
    [notification] = notify(
        clinic=clinic, recipients=[clinician, None], title="  Two\nlines  ", url="/x/"
    )

    assert notification.kind == Notification.Kind.GENERAL
    assert notification.title == "Two lines"
    assert notification.recipient == clinician


# --- The assessment services notify (wired in assessments/services) -----------------------


def test_the_services_notify_on_submit_return_and_sign_off(
    clinician, manager, plant_product, mailoutbox, django_capture_on_commit_callbacks
):
    from assessments.services import start_assessment, submit_assessment
    from assessments.services.drafting import save_answers
    from assessments.services.signoff import return_to_clinician, sign_off
    from notifications.models import Notification
    from tests.factories import PASSWORD

    clinic = plant_product.clinic
    draft = start_assessment(clinic=clinic, by=clinician, product=plant_product)
    draft = save_answers(assessment=draft, by=clinician, answers={"batch_lot": "L1"}, resume_at=5)
    with django_capture_on_commit_callbacks(execute=True):
        draft = submit_assessment(assessment=draft, by=clinician)
    assert Notification.objects.filter(recipient=manager, kind="submitted").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        returned = return_to_clinician(assessment=draft, by=manager, comment="Add the CoA.")
    note = Notification.objects.get(recipient=clinician, kind="returned")
    assert "Add the CoA." in note.body

    with django_capture_on_commit_callbacks(execute=True):
        again = submit_assessment(assessment=returned, by=clinician)
    assert again.review_comment == ""  # no longer "returned" once it is back for review
    with django_capture_on_commit_callbacks(execute=True):
        sign_off(
            assessment=again,
            by=manager,
            password=PASSWORD,
            meaning="reviewed",
            signed_name="Max Manager",
            signed_role="Practice manager",
        )
    assert Notification.objects.filter(recipient=clinician, kind="signed_off").count() == 1
    assert len(mailoutbox) == 4  # two submissions, the return and the sign-off
