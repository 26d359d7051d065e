"""The assessment's full technical trail, on a page of its own (assessments/views/trail.py):
every stored change of the assessment, its documents and their checks, newest first, fifty to
a page; the clinic's members only; a constant number of queries however long the trail."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.views.trail import ENTRIES_PER_PAGE, LAST_PAGE, trail_page
from tests.factories import AssessmentFactory, EvidenceItemFactory, log_in

pytestmark = pytest.mark.django_db

ENTRY = re.compile(r'<li class="history-entry')


@pytest.fixture
def assessment(clinic, clinician):
    assessment = AssessmentFactory(clinic=clinic, created_by=clinician)
    item = EvidenceItemFactory.build(assessment=assessment, uploaded_by=clinician)
    item._history_user = clinician
    item.save()
    return assessment


def changed(assessment, by, times: int) -> None:
    """`times` audited saves of the assessment, each changing the batch number."""
    for number in range(times):
        assessment.batch_lot = f"LOT-{number:03d}"
        assessment._history_user = by
        assessment.save()


def trail_url(assessment, page=None) -> str:
    url = reverse("assessments:trail", args=[assessment.pk])
    return f"{url}?page={page}" if page is not None else url


def test_the_trail_shows_each_change_field_by_field(manager_client, assessment, clinician):
    changed(assessment, clinician, 1)

    response = manager_client.get(trail_url(assessment))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="h3 mb-1">Full technical trail</h1>' in html
    assert "LOT-000" in html and assessment.evidence_items.get().file.name in html
    assert f'href="{assessment.get_absolute_url()}"' in html
    assert "Older changes" not in html and "Newer changes" not in html


def test_a_long_trail_is_paged_newest_first(manager_client, assessment, clinician):
    changed(assessment, clinician, ENTRIES_PER_PAGE + 5)
    total = len(assessment.history.all()) + len(assessment.evidence_items.get().history.all())

    first = manager_client.get(trail_url(assessment)).content.decode()
    second = manager_client.get(trail_url(assessment, 2)).content.decode()

    assert len(ENTRY.findall(first)) == ENTRIES_PER_PAGE
    assert len(ENTRY.findall(second)) == total - ENTRIES_PER_PAGE
    newest = f"LOT-{ENTRIES_PER_PAGE + 4:03d}"
    assert newest in first and newest not in second
    assert 'href="?page=2">Older changes' in first and "Newer changes" not in first
    assert 'href="?page=1">Newer changes' in second and "Older changes" not in second


@pytest.mark.parametrize("junk", ["", "x", "-3", "0", "1.5", "9" * 5000, str(LAST_PAGE + 7)])
def test_a_junk_page_number_gives_the_nearest_page(manager_client, assessment, junk):
    response = manager_client.get(trail_url(assessment, junk))

    assert response.status_code == 200


def test_a_page_past_the_end_is_empty_and_links_back(manager_client, assessment):
    html = manager_client.get(trail_url(assessment, 3)).content.decode()

    assert "No changes older than these pages." in html and not ENTRY.findall(html)
    assert 'href="?page=2">Newer changes' in html


def test_the_trail_costs_the_same_queries_however_long_it_is(manager_client, assessment, clinician):
    manager_client.get(trail_url(assessment))
    with CaptureQueriesContext(connection) as short:
        manager_client.get(trail_url(assessment))
    changed(assessment, clinician, ENTRIES_PER_PAGE * 2)
    for _ in range(3):
        item = EvidenceItemFactory.build(assessment=assessment, uploaded_by=clinician)
        item._history_user = clinician
        item.save()

    with CaptureQueriesContext(connection) as long:
        manager_client.get(trail_url(assessment))

    assert len(long) == len(short)


def test_pages_split_the_merged_trail_without_gaps_or_repeats(assessment, clinician):
    changed(assessment, clinician, ENTRIES_PER_PAGE + 10)

    first, more = trail_page(assessment, 1)
    second, after = trail_page(assessment, 2)

    whole = first + second
    assert more and not after
    assert [entry.when for entry in whole] == sorted((e.when for e in whole), reverse=True)
    assert len({(e.when, e.action, e.subject) for e in whole}) == len(whole)


def test_another_clinics_member_gets_not_found(client, assessment, other_manager):
    log_in(client, other_manager)

    assert client.get(trail_url(assessment)).status_code == 404


def test_signed_out_visitors_are_sent_to_log_in(client, assessment):
    response = client.get(trail_url(assessment))

    assert response.status_code == 302 and "login" in response["Location"]
