"""The bell, the Review count, the returned state, and the services wired into the flow."""

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.context_processors import NavCounts
from notifications.models import Notification
from notifications.services import (
    notify,
)
from tests.factories import AssessmentFactory
from tests.notifications.support import LIST_URL, make

pytestmark = pytest.mark.django_db


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
    from tests.factories import PASSWORD, code_for

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
            otp_code=code_for(manager),
            meaning="reviewed",
            signed_name="Max Manager",
            signed_role="Practice manager",
        )
    assert Notification.objects.filter(recipient=clinician, kind="signed_off").count() == 1
    assert len(mailoutbox) == 4  # two submissions, the return and the sign-off
