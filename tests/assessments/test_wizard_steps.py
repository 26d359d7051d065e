"""The questionnaire, step by step, as a clinician walks through it (no JavaScript)."""

import re

import pytest
from django.urls import reverse

from assessments.models import Assessment
from assessments.rules import catalogue_for
from products.models import Route, SourceCategory
from tests.wizard_support import (
    answer_cells,
    answer_source,
    ref,
    start,
    step1_data,
    step_url,
)

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


# --- Step 1 ---------------------------------------------------------------------------


@pytest.fixture
def draft(clinician_client, clinician, plant_product):
    return start(clinician_client, clinician, plant_product)


def test_step_one_shows_progress_and_the_three_buttons(clinician_client, draft):
    page = html(clinician_client.get(step_url(draft, 1)))

    assert "Step 1 of 5" in page
    assert 'value="continue"' in page
    assert 'value="save"' in page
    assert 'value="back"' in page


def test_step_one_offers_routes_from_reference_data(clinician_client, draft):
    page = html(clinician_client.get(step_url(draft, 1)))

    for route in Route.objects.active():
        assert route.name in page


def test_step_one_continue_saves_and_goes_to_q1(clinician_client, draft):
    response = clinician_client.post(step_url(draft, 1), step1_data(draft, batch_lot="GT-2026-07"))

    draft.refresh_from_db()
    assert response["Location"] == step_url(draft, 2)
    assert draft.batch_lot == "GT-2026-07"
    assert draft.current_step == 2


def test_step_one_continue_needs_a_lot_and_keeps_what_was_typed(clinician_client, draft):
    response = clinician_client.post(
        step_url(draft, 1), step1_data(draft, batch_lot="", inci="Aqua, Typed Rose Extract")
    )

    page = html(response)
    assert response.status_code == 200
    assert "Enter the batch or lot number" in page
    assert "Typed Rose Extract" in page
    assert "There is a problem on this page" in page
    draft.refresh_from_db()
    assert "Typed Rose Extract" not in draft.inci


def test_step_one_over_long_lot_is_refused_with_the_rest_kept(clinician_client, draft):
    response = clinician_client.post(
        step_url(draft, 1), step1_data(draft, batch_lot="X" * 81, claims="Typed claim")
    )

    assert "at most 80 characters" in html(response)
    assert "Typed claim" in html(response)


def test_step_one_save_draft_accepts_a_partial_answer(clinician_client, draft):
    response = clinician_client.post(
        step_url(draft, 1), step1_data(draft, batch_lot="", route="", action="save")
    )

    draft.refresh_from_db()
    assert response["Location"] == step_url(draft, 1)
    assert draft.route is None
    assert draft.current_step == 1


def test_step_one_rejects_an_unknown_route(clinician_client, draft):
    response = clinician_client.post(step_url(draft, 1), step1_data(draft, route="999999"))

    assert response.status_code == 200
    assert "Select a valid choice" in html(response)


# --- Q1 and Q2 ------------------------------------------------------------------------


def test_q1_shows_each_source_with_its_description_and_examples(clinician_client, draft):
    page = html(clinician_client.get(step_url(draft, 2)))

    plant = ref(SourceCategory, "plant")
    assert "Where are these exosomes derived from?" in page
    assert plant.name in page
    assert plant.examples in page
    assert "Supplier has not answered" in page


def test_q1_continue_records_the_category_and_the_suppliers_words(clinician_client, draft):
    response = answer_source(clinician_client, draft, "human-msc-umbilical-cord", "From cords")

    draft.refresh_from_db()
    assert response["Location"] == step_url(draft, 3)
    assert draft.source_category.slug == "human-msc-umbilical-cord"
    assert draft.source_answer == "From cords"
    assert draft.verdict == "not-permitted"


def test_q1_supplier_has_not_answered_is_recorded_as_no_category(clinician_client, draft):
    answer_source(clinician_client, draft, None, "They would not say")

    draft.refresh_from_db()
    assert draft.source_category is None
    assert any(f["rule"] == "UK-SRC-UNKNOWN" for f in draft.findings)


def test_q1_continue_without_a_choice_asks_for_one_and_keeps_the_words(clinician_client, draft):
    response = clinician_client.post(
        step_url(draft, 2), {"source_answer": "Typed words", "action": "continue"}
    )

    assert response.status_code == 200
    assert "or “Supplier has not answered”" in html(response)
    assert "Typed words" in html(response)


def test_q1_back_saves_and_returns_to_step_one(clinician_client, draft):
    response = answer_source(clinician_client, draft, "animal", action="back")

    draft.refresh_from_db()
    assert response["Location"] == step_url(draft, 1)
    assert draft.source_category.slug == "animal"


def test_q2_records_the_cell_status(clinician_client, draft):
    response = answer_cells(clinician_client, draft, "live-cell", "Viable cells")

    draft.refresh_from_db()
    assert response["Location"] == step_url(draft, 4)
    assert draft.cell_status.slug == "live-cell"
    assert draft.cell_status_answer == "Viable cells"


def test_q2_continue_without_a_choice_asks_for_one(clinician_client, draft):
    response = clinician_client.post(step_url(draft, 3), {"action": "continue"})

    assert "what the supplier says the product contains" in html(response).lower()


# --- Q3: the checklist branches on the answers ------------------------------------------


def checklist_slugs(client, assessment) -> set[str]:
    page = html(client.get(step_url(assessment, 4)))
    return {
        slug
        for slug in [
            "certificate-of-analysis",
            "donor-screening",
            "mycoplasma",
            "sterility",
            "endotoxin",
            "cpsr",
            "marketing-authorisation",
            "device-conformity",
        ]
        if f'id="item-{slug}"' in page
    }


def test_q3_for_a_plant_serum_on_intact_skin_asks_no_donor_screening(clinician_client, draft):
    slugs = checklist_slugs(clinician_client, draft)

    assert {"certificate-of-analysis", "cpsr"} <= slugs
    assert "donor-screening" not in slugs
    assert "mycoplasma" not in slugs
    assert "sterility" not in slugs


def test_q3_for_human_material_asks_for_donor_screening(clinician_client, draft):
    answer_source(clinician_client, draft, "human-msc-adipose")
    answer_cells(clinician_client, draft, "post-culture-processed")

    slugs = checklist_slugs(clinician_client, draft)

    assert {"donor-screening", "mycoplasma"} <= slugs


def test_q3_for_compromised_skin_asks_for_sterility_and_endotoxin(clinician_client, draft):
    clinician_client.post(
        step_url(draft, 1),
        step1_data(draft, route=ref(Route, "topical-compromised-skin").pk),
    )

    assert {"sterility", "endotoxin"} <= checklist_slugs(clinician_client, draft)


def test_q3_for_autologous_prp_asks_only_for_the_kit_marking(clinician_client, draft):
    answer_source(clinician_client, draft, "autologous-prp")

    assert checklist_slugs(clinician_client, draft) == {"device-conformity"}


def test_q3_explains_each_document_with_its_standard(clinician_client, draft, evidence_types):
    page = html(clinician_client.get(step_url(draft, 4)))

    coa = catalogue_for(draft.jurisdiction)["certificate-of-analysis"]
    assert coa.standard in page
    assert "Required" in page
    assert "Recommended" in page


def test_q3_saves_the_suppliers_testing_answer(clinician_client, draft):
    response = clinician_client.post(
        step_url(draft, 4), {"testing_answer": "USP <71> per lot", "action": "continue"}
    )

    draft.refresh_from_db()
    assert response["Location"] == step_url(draft, 5)
    assert draft.testing_answer == "USP <71> per lot"


# --- Review and submit ------------------------------------------------------------------


def test_review_shows_answers_findings_citations_and_edit_links(clinician_client, draft):
    answer_source(clinician_client, draft, "human-msc-adipose", "Adipose MSC secretome")
    draft.refresh_from_db()

    page = html(clinician_client.get(step_url(draft, 5)))

    assert "Adipose MSC secretome" in page
    assert "Not permitted" in page
    assert "Annex II" in page  # the citation of the human-material rule
    for step in (1, 2, 3, 4):
        assert f'href="{step_url(draft, step)}"' in page
    assert 'value="submit"' in page


def test_submit_hands_the_draft_to_review(clinician_client, clinician, draft):
    clinician_client.post(step_url(draft, 1), step1_data(draft))

    response = clinician_client.post(step_url(draft, 5), {"action": "submit"})

    draft.refresh_from_db()
    assert response["Location"] == draft.get_absolute_url()
    assert draft.status == Assessment.Status.SUBMITTED
    assert draft.submitted_by == clinician
    assert draft.submitted_at is not None


def test_submit_without_a_lot_says_what_is_missing(clinician_client, draft):
    clinician_client.post(step_url(draft, 1), step1_data(draft, batch_lot="", action="save"))

    response = clinician_client.post(step_url(draft, 5), {"action": "submit"}, follow=True)

    draft.refresh_from_db()
    assert draft.is_draft
    assert "enter the batch / lot" in html(response)


def test_a_submitted_assessment_steps_redirect_to_its_page(clinician_client, draft):
    clinician_client.post(step_url(draft, 1), step1_data(draft))
    clinician_client.post(step_url(draft, 5), {"action": "submit"})

    response = clinician_client.get(step_url(draft, 2))

    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()


def test_a_submitted_assessment_refuses_a_step_post(clinician_client, draft):
    clinician_client.post(step_url(draft, 1), step1_data(draft))
    clinician_client.post(step_url(draft, 5), {"action": "submit"})

    response = answer_source(clinician_client, draft, "plant")

    assert response.status_code == 403


def test_submitting_twice_keeps_one_submission(clinician_client, draft):
    clinician_client.post(step_url(draft, 1), step1_data(draft))
    clinician_client.post(step_url(draft, 5), {"action": "submit"})

    second = clinician_client.post(step_url(draft, 5), {"action": "submit"})

    assert second.status_code == 403
    assert Assessment.objects.count() == 1


def test_unknown_step_is_404(clinician_client, draft):
    assert clinician_client.get(step_url(draft, 6)).status_code == 404
    assert clinician_client.get(f"/assessments/{draft.pk}/step/0/").status_code == 404


# --- Live findings (htmx) ---------------------------------------------------------------


def test_live_preview_evaluates_unsaved_answers_without_saving(clinician_client, draft):
    url = reverse("assessments:preview", args=[draft.pk, 2])
    human = ref(SourceCategory, "human-msc-adipose")

    response = clinician_client.post(
        url, {"source_category": human.pk}, headers={"HX-Request": "true"}
    )

    draft.refresh_from_db()
    assert response.status_code == 200
    assert "Not permitted" in html(response)
    assert "<html" not in html(response)  # a fragment for the panel, not a page
    assert draft.source_category.slug == "plant"


def test_step_forms_carry_the_live_preview_wiring(clinician_client, draft):
    page = html(clinician_client.get(step_url(draft, 2)))

    assert f'hx-post="{reverse("assessments:preview", args=[draft.pk, 2])}"' in page
    assert 'id="live-findings"' in page


def test_live_preview_only_accepts_post(clinician_client, draft):
    url = reverse("assessments:preview", args=[draft.pk, 2])

    assert clinician_client.get(url).status_code == 405


# --- Detail page ------------------------------------------------------------------------


def test_detail_page_of_a_draft_offers_resume_at_the_saved_step(clinician_client, draft):
    answer_source(clinician_client, draft, "plant", action="continue")

    page = html(clinician_client.get(draft.get_absolute_url()))

    assert f'href="{step_url(draft, 3)}"' in page
    assert "Resume at step 3" in page
    assert reverse("assessments:ask_supplier", args=[draft.pk]) in page


def test_back_on_step_one_saves_and_goes_to_the_assessment_page(clinician_client, draft):
    response = clinician_client.post(
        step_url(draft, 1), step1_data(draft, batch_lot="LOT-9", action="back")
    )

    draft.refresh_from_db()
    assert response["Location"] == draft.get_absolute_url()
    assert draft.batch_lot == "LOT-9"


def test_not_answered_is_shown_chosen_when_the_user_comes_back(clinician_client, draft):
    answer_source(clinician_client, draft, None)

    page = html(clinician_client.get(step_url(draft, 2)))

    not_answered = re.search(r'<input[^>]*value=""[^>]*>', page).group(0)
    assert "checked" in not_answered


def test_a_fresh_unanswered_question_has_nothing_chosen(clinician_client, clinician, human_product):
    human_product.cell_status = None
    human_product.save()
    assessment = start(clinician_client, clinician, human_product)

    page = html(clinician_client.get(step_url(assessment, 3)))

    assert "checked" not in re.search(r"<fieldset.*?</fieldset>", page, re.S).group(0)
