"""Drafts: saved on every step, resumed anywhere, private to the clinic, safe across logins."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment
from tests.factories import PASSWORD
from tests.wizard_support import answer_cells, answer_source, start, step1_data, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(clinician_client, clinician, plant_product):
    return start(clinician_client, clinician, plant_product)


def test_every_step_saves_where_to_resume(clinician_client, draft):
    clinician_client.post(step_url(draft, 1), step1_data(draft))
    draft.refresh_from_db()
    assert draft.current_step == 2

    answer_source(clinician_client, draft, "plant")
    draft.refresh_from_db()
    assert draft.current_step == 3

    answer_cells(clinician_client, draft, "cell-free", action="save")
    draft.refresh_from_db()
    assert draft.current_step == 3
    assert draft.cell_status.slug == "cell-free"


def test_the_dashboard_lists_drafts_with_resume_at_the_step_reached(clinician_client, draft):
    answer_source(clinician_client, draft, "plant")  # now at step 3

    page = clinician_client.get(reverse("dashboard")).content.decode()

    assert "Drafts to finish" in page
    assert f'href="{step_url(draft, 3)}"' in page
    assert "Resume" in page


def test_a_draft_resumes_for_the_same_user_after_logging_in_again(
    clinician, plant_product, draft, clinician_client
):
    answer_source(clinician_client, draft, "animal", "Bovine colostrum")
    clinician_client.post(reverse("logout"))

    other_device = Client()
    other_device.post(reverse("login"), {"username": clinician.username, "password": PASSWORD})
    dashboard = other_device.get(reverse("dashboard")).content.decode()
    step3 = other_device.get(step_url(draft, 3))
    step2 = other_device.get(step_url(draft, 2)).content.decode()

    assert f'href="{step_url(draft, 3)}"' in dashboard
    assert step3.status_code == 200
    assert "Bovine colostrum" in step2


def test_the_resume_link_goes_to_the_saved_step(clinician_client, draft):
    answer_source(clinician_client, draft, "plant")

    response = clinician_client.get(reverse("assessments:resume", args=[draft.pk]))

    assert response["Location"] == step_url(draft, 3)


def test_a_colleague_in_the_same_clinic_can_resume_a_draft(manager_client, draft):
    response = manager_client.get(step_url(draft, 1))

    assert response.status_code == 200


def test_clinic_admins_may_edit_drafts_too(clinic_admin_client, draft):
    response = answer_source(clinic_admin_client, draft, "plant")

    assert response.status_code == 302


def test_an_expired_session_returns_to_the_same_step_with_the_draft_intact(
    clinician, clinician_client, draft
):
    answer_source(clinician_client, draft, "plant", "Green tea leaves")
    clinician_client.session.flush()  # what an idle timeout leaves behind
    clinician_client.cookies.clear()

    bounced = clinician_client.get(step_url(draft, 2))
    assert bounced.status_code == 302
    login_url = bounced["Location"]
    assert login_url.startswith(reverse("login"))

    back = clinician_client.post(
        login_url,
        {"username": clinician.username, "password": PASSWORD, "next": step_url(draft, 2)},
    )

    assert back["Location"] == step_url(draft, 2)
    page = clinician_client.get(back["Location"]).content.decode()
    assert "Green tea leaves" in page
    assert SESSION_KEY in clinician_client.session


def test_an_expired_session_on_post_goes_to_login_and_changes_nothing(client, draft):
    response = answer_source(client, draft, "human-msc-adipose")

    draft.refresh_from_db()
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert draft.source_category.slug == "plant"


# --- Tenancy ------------------------------------------------------------------------------


@pytest.mark.parametrize("step", [1, 2, 3, 4, 5])
def test_another_clinics_draft_is_404_on_every_step(other_clinician_client, draft, step):
    assert other_clinician_client.get(step_url(draft, step)).status_code == 404
    assert other_clinician_client.post(step_url(draft, step), {"action": "save"}).status_code == 404


def test_another_clinics_draft_preview_resume_and_request_are_404(other_clinician_client, draft):
    urls = [
        reverse("assessments:resume", args=[draft.pk]),
        reverse("assessments:ask_supplier", args=[draft.pk]),
    ]
    for url in urls:
        assert other_clinician_client.get(url).status_code == 404
    preview = reverse("assessments:preview", args=[draft.pk, 2])
    assert other_clinician_client.post(preview, {}).status_code == 404


def test_another_clinics_draft_is_not_on_my_dashboard(other_clinician_client, draft):
    page = other_clinician_client.get(reverse("dashboard")).content.decode()

    assert str(draft.product) not in page


def test_extra_fields_in_a_step_post_are_ignored(clinician_client, draft, other_clinic):
    data = {
        **step1_data(draft),
        "clinic": other_clinic.pk,
        "status": "finalised",
        "verdict": "acceptable",
        "created_by": 999,
    }

    clinician_client.post(step_url(draft, 1), data)

    draft.refresh_from_db()
    assert draft.clinic != other_clinic
    assert draft.status == Assessment.Status.DRAFT
    assert draft.created_by.username == "clinician"


def test_step_one_cannot_switch_to_another_clinics_product(clinician_client, draft, other_product):
    response = clinician_client.post(
        step_url(draft, 1), step1_data(draft, product=other_product.pk)
    )

    draft.refresh_from_db()
    assert response.status_code == 200
    assert draft.product != other_product


def test_a_user_without_a_clinic_cannot_start(db, plant_product):
    from tests.factories import make_user

    loner = make_user("loner", None, None)
    client = Client()
    client.force_login(loner)

    assert client.get(reverse("assessments:start")).status_code == 403


def test_steps_need_a_csrf_token(clinician, draft):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(clinician)

    response = strict.post(step_url(draft, 2), {"source_category": "", "action": "save"})

    assert response.status_code == 403
