"""The assessment page's history in sentences: one line per event, newest first, in the
names of the clinic's jurisdiction and the people's full names; the full technical trail is
a page of its own, linked beneath it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.history import assessment_story
from assessments.models import Assessment, EvidenceItem
from assessments.services.documents import withdraw_evidence
from assessments.services.drafting import save_answers, submit_assessment
from assessments.services.signoff import return_to_clinician, start_new_version
from clinics.models import Role
from products.models import Route
from tests.factories import (
    AssessmentFactory,
    EvidenceItemFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cara(clinic):
    user = UserFactory(username="cara", first_name="Cara", last_name="Clinician")
    MembershipFactory(user=user, clinic=clinic, role=Role.CLINICIAN)
    return user


@pytest.fixture
def max_manager(clinic):
    user = UserFactory(username="max", first_name="Max", last_name="Manager")
    MembershipFactory(user=user, clinic=clinic, role=Role.PRACTICE_MANAGER)
    return user


def started(clinic, cara, **fields) -> Assessment:
    product = AssessmentFactory.build(clinic=clinic).product
    product.clinic = clinic
    product.supplier.clinic = clinic
    product.supplier.save()
    product.save()
    assessment = AssessmentFactory.build(clinic=clinic, product=product, created_by=cara, **fields)
    assessment._history_user = cara
    assessment.save()
    return assessment


def upload(assessment, by, **fields) -> EvidenceItem:
    item = EvidenceItemFactory.build(assessment=assessment, uploaded_by=by, **fields)
    item._history_user = by
    item.save()
    return item


def sign(assessment, by, meaning="approved") -> Assessment:
    """What sign_off stores, without its password and code (tests/assessments/test_signoff.py)."""
    assessment.refresh_from_db()
    assessment.status = Assessment.Status.FINALISED
    assessment.finalised_at = timezone.now()
    assessment.signed_by = by
    assessment.signed_name = str(by)
    assessment.signed_role = "Practice manager"
    assessment.signature_meaning = meaning
    assessment._history_user = by
    assessment.save()
    return assessment


def sentences(assessment) -> list[str]:
    return [line.text for line in assessment_story(assessment)]


def without_verdicts(texts: list[str]) -> list[str]:
    return [text for text in texts if not text.startswith("The verdict became")]


def test_the_day_of_one_assessment_in_sentences_newest_first(clinic, cara, max_manager):
    assessment = started(clinic, cara, batch_lot="GT-2611")
    item = upload(assessment, cara, lot="GT-2611", result="not-stated")
    item.result = EvidenceItem.Result.PASS
    item._history_user = cara
    item.save()
    submit_assessment(assessment=assessment, by=cara)
    return_to_clinician(
        assessment=assessment, by=max_manager, comment="Please  add the GMP\ncertificate."
    )
    submit_assessment(assessment=Assessment.objects.get(pk=assessment.pk), by=cara)
    sign(assessment, max_manager)

    assert without_verdicts(sentences(assessment)) == [
        "Max Manager signed it off as approved",
        "Cara Clinician submitted it for review",
        "Max Manager returned it: “Please add the GMP certificate.”",
        "Cara Clinician submitted it for review",
        "Cara Clinician recorded from the Certificate of analysis: result Pass",
        "Cara Clinician uploaded the Certificate of analysis (lot GT-2611)",
        "Cara Clinician started the assessment",
    ]


def test_lines_carry_uk_time_newest_first(clinic, cara):
    assessment = started(clinic, cara)
    upload(assessment, cara)

    lines = assessment_story(assessment)

    assert [line.when for line in lines] == sorted((line.when for line in lines), reverse=True)
    assert {str(line.when.tzinfo) for line in lines} == {"Europe/London"}


def test_changed_answers_are_named_and_a_new_verdict_is_said(clinic, cara):
    assessment = started(clinic, cara)
    save_answers(
        assessment=assessment,
        by=cara,
        answers={"batch_lot": "LOT-9", "route": Route.objects.get(slug="injection")},
        resume_at=1,
    )

    latest = sentences(assessment)[0]
    assert latest.startswith("Cara Clinician changed the batch / lot and how the clinic will use")
    assert latest.endswith("; the verdict is now Not permitted")


def test_documents_are_named_in_the_clinics_jurisdiction(clinic, cara):
    assessment = started(clinic, cara, jurisdiction="US")
    upload(assessment, cara, slug="scpn-notification", lot="")

    assert "Cara Clinician uploaded the FDA registration and listing" in sentences(assessment)


def test_refused_and_withdrawn_documents(clinic, cara):
    assessment = started(clinic, cara)
    upload(assessment, cara, slug="gmp-certificate", refused=True)
    item = upload(assessment, cara, slug="stability", lot="")
    withdraw_evidence(assessment=assessment, by=cara, item=item)

    texts = sentences(assessment)
    assert "Cara Clinician recorded that the supplier will not provide the GMP certificate" in texts
    assert "Cara Clinician withdrew the Stability data" in texts


def test_a_new_version_carries_documents_over(clinic, cara, max_manager):
    assessment = started(clinic, cara, batch_lot="GT-2611")
    upload(assessment, cara, lot="GT-2611")
    submit_assessment(assessment=assessment, by=cara)
    sign(assessment, max_manager, meaning="reviewed")

    newer = start_new_version(assessment=assessment, by=max_manager)

    texts = without_verdicts(sentences(newer))
    assert texts == [
        "Max Manager carried over the Certificate of analysis (lot GT-2611) from the previous "
        "version",
        "Max Manager started version 2 from the signed version before it",
    ]
    assert sentences(assessment)[0] == "Max Manager signed it off as reviewed"


def test_bookkeeping_saves_make_no_sentence(clinic, cara):
    assessment = started(clinic, cara)
    assessment.current_step = 3
    assessment._history_user = cara
    assessment.save()

    assert sentences(assessment) == ["Cara Clinician started the assessment"]


def test_page_shows_the_sentences_and_links_to_the_technical_trail(client, clinic, cara):
    assessment = started(clinic, cara, batch_lot="GT-2611")
    item = upload(assessment, cara, lot="GT-2611")
    client.force_login(cara)

    html = client.get(assessment.get_absolute_url()).content.decode()

    history = html[
        html.index('id="history-heading"') : html.index(
            "</section>", html.index('id="history-heading"')
        )
    ]
    assert "Cara Clinician uploaded the Certificate of analysis (lot GT-2611)" in history
    trail_url = reverse("assessments:trail", args=[assessment.pk])
    assert f'<a href="{trail_url}">Full technical trail</a>' in history
    # The storage path, byte count and hash are on the trail's own page only.
    assert item.file.name not in html
    trail = client.get(trail_url).content.decode()
    assert item.file.name in trail and item.sha256 in trail


def test_the_story_costs_the_same_queries_however_long_it_is(
    clinic, cara, django_assert_max_num_queries
):
    assessment = started(clinic, cara)
    upload(assessment, cara)
    with CaptureQueriesContext(connection) as short:
        assessment_story(assessment)
    for slug in ("gmp-certificate", "origin-declaration", "ev-characterisation", "stability"):
        item = upload(assessment, cara, slug=slug)
        item.result = EvidenceItem.Result.FAIL
        item._history_user = cara
        item.save()

    with django_assert_max_num_queries(len(short.captured_queries)):
        assert len(assessment_story(assessment)) == 10
