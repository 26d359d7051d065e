"""The assessment's page, kept whole (assessments/views/listing.py): a kept page runs no
query of the assessment's, is never read by another clinic, shows the supplier portal's
changes and a link's expiry, and keeps its one form (a new version) outside. Committed
writes (transaction=True): nothing is kept inside a transaction."""

import re
from datetime import timedelta
from importlib import import_module

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from clinics.kept import changes_at, kept
from portal.services.requests import send_request
from tests.factories import AssessmentFactory, ProductFactory, log_in
from tests.reporting import make_finalised
from tests.trigger_support import installed_triggers, restamp_triggers

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("restored_reference_data"),
]


@pytest.fixture
def draft(clinic, clinician):
    product = ProductFactory(clinic=clinic, name="Kept Serum")
    return AssessmentFactory(product=product, created_by=clinician)


def reads_the_assessment(queries) -> bool:
    """A query of the assessment's rows or its portal panel's (the navbar's counts, which
    count the clinic's assessments in a subquery, are not kept)."""
    return any(re.match(r'SELECT (DISTINCT )?"(assessments|portal)_', q["sql"]) for q in queries)


def ask_the_supplier(assessment, by, **options):
    return send_request(
        clinic=assessment.clinic,
        by=by,
        supplier=assessment.product.supplier,
        assessments=[assessment],
        email="supplier@example.com",
        link_for=lambda token: f"https://exocheck.example/s/{token}",
        **options,
    ).request


def test_a_kept_page_runs_no_query_of_the_assessments(manager_client, draft):
    url = draft.get_absolute_url()
    first = manager_client.get(url).content.decode()
    with CaptureQueriesContext(connection) as again:
        second = manager_client.get(url)
    assert second.status_code == 200
    assert "Kept Serum" in first and "Kept Serum · assessment" in second.content.decode()
    assert not reads_the_assessment(again.captured_queries)
    # The session, the user, the authenticator, and the membership with the navbar's counts
    # and the stamp read along (the view asks for them, for the kept page's key:
    # clinics.kept.kept_page; clinics/middleware.py reads them).
    assert len(again) == 4


def test_another_clinic_never_reads_a_kept_page(manager_client, draft, other_clinic, other_manager):
    ProductFactory(clinic=other_clinic)  # the other clinic has a stamp: it keeps pages too
    url = draft.get_absolute_url()
    assert manager_client.get(url).status_code == 200  # kept for the first clinic
    other_client = log_in(Client(), other_manager)
    assert [other_client.get(url).status_code for _ in range(2)] == [404, 404]
    assert manager_client.get(url).status_code == 200


def test_an_assessment_that_does_not_exist_is_not_found_each_time(manager_client, draft):
    url = reverse("assessments:detail", args=[draft.pk + 1000])
    assert [manager_client.get(url).status_code for _ in range(2)] == [404, 404]


def test_a_deleted_draft_is_not_found_though_its_page_was_kept(manager_client, draft):
    url = draft.get_absolute_url()
    manager_client.get(url)
    Assessment.objects.filter(pk=draft.pk).delete()
    assert manager_client.get(url).status_code == 404


def test_a_request_sent_and_withdrawn_shows_on_a_kept_page(manager_client, manager, draft):
    url = draft.get_absolute_url()
    assert "No request sent through ExoCheck yet." in manager_client.get(url).content.decode()
    supplier_request = ask_the_supplier(draft, manager)
    assert "Waiting for the supplier" in manager_client.get(url).content.decode()
    supplier_request.revoked_at = timezone.now()
    supplier_request.save(update_fields=["revoked_at"])
    assert "Withdrawn" in manager_client.get(url).content.decode()


def test_a_link_that_expires_shows_expired_on_a_page_kept_before(manager, draft):
    """No write marks an expiry: the panel says when it changes, and the page is kept only
    until then (`clinics.kept.changes_at`). The same day either side, so the day's key does
    not change; ten minutes apart, so the session stays open."""
    url = draft.get_absolute_url()
    with time_machine.travel("2026-12-01 00:30Z", tick=False):
        ask_the_supplier(draft, manager, valid_days=1)  # expires 2 Dec, 00:30 UTC
    with time_machine.travel("2026-12-02 00:25Z", tick=False):
        client = log_in(Client(), manager)
        assert "Waiting for the supplier" in client.get(url).content.decode()
        with CaptureQueriesContext(connection) as again:
            assert "Waiting for the supplier" in client.get(url).content.decode()
        assert not reads_the_assessment(again.captured_queries)
    with time_machine.travel("2026-12-02 00:35Z", tick=False):
        assert "Expired" in client.get(url).content.decode()


def test_the_new_version_button_submits_a_form_outside_the_kept_page(
    manager_client, clinic, clinician, manager
):
    product = ProductFactory(clinic=clinic, name="Signed Serum")
    signed = make_finalised(clinic=clinic, product=product, user=clinician, manager=manager)
    url = signed.get_absolute_url()
    for _ in range(2):  # worked out, then kept
        html = manager_client.get(url).content.decode()
        form = re.search(r'<form id="new-version-form".*?</form>', html, re.S).group(0)
        assert 'name="csrfmiddlewaretoken"' in form
        assert reverse("assessments:new_version", args=[signed.pk]) in form
        button = re.search(r"<button[^>]*>Start a new version</button>", html).group(0)
        assert 'form="new-version-form"' in button
    response = manager_client.post(reverse("assessments:new_version", args=[signed.pk]))
    newer = Assessment.objects.get(previous_version=signed)
    assert response.status_code == 302
    html = manager_client.get(url).content.decode()  # the new draft restamped the clinic
    assert f"version {newer.version}" in html and 'id="new-version-form"' not in html


def test_the_portals_tables_restamp_their_clinic():
    """On SQLite a migration that rebuilds one of them drops its triggers: this fails until
    that migration adds them again."""
    portal = import_module("lifecycle.migrations.0007_restamp_portal")
    assert restamp_triggers(portal.PER_CLINIC, portal.EVENTS) <= installed_triggers()


# --- changes_at: a kept value that the clock changes ------------------------------------


def counted(calls: list, *, changes_in: float | None = None):
    def work():
        calls.append(1)
        if changes_in is not None:
            changes_at(timezone.now() + timedelta(seconds=changes_in))
        return len(calls)

    return work


def test_a_value_is_kept_only_until_the_moment_it_said_it_changes(clinic, stamp):
    calls: list = []
    work = counted(calls, changes_in=60)
    with time_machine.travel("2026-12-01 09:00Z", tick=False):
        assert kept("probe", clinic_id=clinic.pk, stamp=stamp, work=work) == 1
    with time_machine.travel("2026-12-01 09:00:59Z", tick=False):
        assert kept("probe", clinic_id=clinic.pk, stamp=stamp, work=work) == 1
    with time_machine.travel("2026-12-01 09:01:01Z", tick=False):
        assert kept("probe", clinic_id=clinic.pk, stamp=stamp, work=work) == 2


def test_a_value_that_has_already_changed_is_not_kept(clinic, stamp):
    calls: list = []
    work = counted(calls, changes_in=-1)
    values = [kept("probe-past", clinic_id=clinic.pk, stamp=stamp, work=work) for _ in range(2)]
    assert values == [1, 2]


def test_changes_at_outside_kept_does_nothing():
    changes_at(timezone.now())  # a panel rendered where nothing is kept: no error
