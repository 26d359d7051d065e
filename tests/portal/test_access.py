"""Who reaches what through a supplier link: only that request, only while it is open, never
by guessing; and the pages are private (no referrer, not stored, no third-party assets)."""

import logging
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.models import SupplierRequest
from portal.tokens import new_token
from tests.portal.support import (
    GMP,
    draft,
    item_of,
    page_url,
    request_from_assessment,
    upload_data,
    upload_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(
    clinician_client, plant_product, clinician, mailoutbox, django_capture_on_commit_callbacks
):
    assessment = draft(plant_product, clinician)
    supplier_request, token = request_from_assessment(
        clinician_client, assessment, mailoutbox, django_capture_on_commit_callbacks
    )
    return supplier_request, token, assessment


def test_a_wrong_link_is_a_plain_404_and_logged(client, sent, caplog):
    wrong, _ = new_token()
    with caplog.at_level(logging.WARNING, logger="exocheck.security"):
        response = client.get(page_url(wrong))

    assert response.status_code == 404
    body = response.content.decode()
    assert "not recognised" in body and "Harley Skin Clinic" not in body
    assert response["Referrer-Policy"] == "no-referrer"
    assert "Wrong supplier link: ip=127.0.0.1" in caplog.text


def test_repeated_wrong_links_lock_the_address_out_even_with_a_right_link(client, sent, settings):
    settings.PORTAL_TOKEN_FAILURE_LIMIT = 3
    _, token, _ = sent
    for _ in range(3):
        assert client.get(page_url(new_token()[0])).status_code == 404

    locked = client.get(page_url(token))

    assert locked.status_code == 429
    assert "Please wait" in locked.content.decode()
    assert int(locked["Retry-After"]) > 0
    # Another address is not affected.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.get(page_url(token)).status_code == 200


def test_the_lockout_ends_after_its_cool_off(client, sent, settings):
    settings.PORTAL_TOKEN_FAILURE_LIMIT = 2
    _, token, _ = sent
    for _ in range(2):
        client.get(page_url("wrong"))
    from portal.models import TokenThrottle

    TokenThrottle.objects.update(last_miss_at=timezone.now() - timedelta(minutes=16))

    assert client.get(page_url(token)).status_code == 200


def test_the_pages_are_rate_limited_per_address(client, sent, settings):
    settings.PORTAL_RATE_LIMIT = 5
    _, token, _ = sent
    codes = [client.get(page_url(token)).status_code for _ in range(6)]

    assert codes == [200] * 5 + [429]


def test_an_expired_link_shows_nothing_but_to_contact_the_clinic(client, sent):
    supplier_request, token, assessment = sent
    SupplierRequest.objects.filter(pk=supplier_request.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    response = client.get(page_url(token))

    assert response.status_code == 410
    body = response.content.decode()
    assert "contact the clinic" in body
    for secret in ("Harley Skin Clinic", assessment.product.name, "Verdant", "LOT-"):
        assert secret not in body
    item = item_of(supplier_request, assessment)
    posted = client.post(upload_url(token, item, GMP), upload_data(item, GMP))
    assert posted.status_code == 410
    assert not item.docs.exists()


def test_a_withdrawn_link_shows_nothing_at_once(clinician_client, client, sent):
    supplier_request, token, assessment = sent
    assert client.get(page_url(token)).status_code == 200

    response = clinician_client.post(reverse("portal:revoke", args=[supplier_request.pk]))
    assert response.status_code == 302

    closed = client.get(page_url(token))
    assert closed.status_code == 410
    assert assessment.product.name not in closed.content.decode()
    supplier_request.refresh_from_db()
    assert supplier_request.revoked_at is not None
    assert supplier_request.events.filter(kind="revoked").exists()


def test_signed_in_to_another_clinic_the_link_still_shows_only_that_request(
    other_clinician_client, other_product, other_clinician, sent
):
    supplier_request, token, assessment = sent
    own_draft = draft(other_product, other_clinician)

    response = other_clinician_client.get(page_url(token))

    assert response.status_code == 200
    body = response.content.decode()
    assert assessment.product.name in body
    assert other_product.name not in body and own_draft.document_id not in body
    assert "Other Clinic" not in body  # no menu of the signed-in clinic
    assert 'href="/"' not in body and "Log out" not in body
    # The request's own clinic pages stay closed to them.
    detail = other_clinician_client.get(reverse("portal:request", args=[supplier_request.pk]))
    assert detail.status_code == 404


def test_nothing_outside_the_request_is_shown_or_reachable(
    client, sent, plant_product, clinician, human_product
):
    supplier_request, token, assessment = sent
    not_asked = draft(human_product, clinician)  # same supplier, not in the request

    body = client.get(page_url(token)).content.decode()
    assert human_product.name not in body and not_asked.document_id not in body
    for forbidden in ("verdict", "Insufficient information", "finding"):
        assert forbidden.lower() not in body.lower()

    other_item_url = reverse("portal:supplier_upload", args=[token, 999_999, GMP])
    assert client.post(other_item_url, {}).status_code == 404
    remove_url = reverse("portal:supplier_remove", args=[token, 999_999])
    assert client.post(remove_url).status_code == 404


def test_forms_are_csrf_protected(sent):
    supplier_request, token, assessment = sent
    supplier = Client(enforce_csrf_checks=True)
    item = item_of(supplier_request, assessment)

    response = supplier.post(upload_url(token, item, GMP), upload_data(item, GMP))

    assert response.status_code == 403
    assert not item.docs.exists()


def test_pages_load_nothing_from_another_site(client, sent):
    _, token, _ = sent
    body = client.get(page_url(token)).content.decode()

    for url in re.findall(r'(?:src|href|action)="([^"]+)"', body):
        assert url.startswith(("/", "#")), url
    assert "<script" not in body


def test_a_form_posted_with_origin_null_still_needs_its_csrf_token(sent):
    """no-referrer makes browsers send `Origin: null` with the page's own forms: that alone
    is not refused, but the CSRF token still is checked; another site's origin is refused."""
    supplier_request, token, assessment = sent
    supplier = Client(enforce_csrf_checks=True)
    supplier.get(page_url(token))
    csrf = supplier.cookies["csrftoken"].value
    item = item_of(supplier_request, assessment)
    url = upload_url(token, item, GMP)

    no_token = supplier.post(url, upload_data(item, GMP, lot=""), HTTP_ORIGIN="null")
    other_site = supplier.post(
        url,
        {**upload_data(item, GMP, lot=""), "csrfmiddlewaretoken": csrf},
        HTTP_ORIGIN="https://evil.example",
    )
    assert no_token.status_code == other_site.status_code == 403
    assert no_token["Referrer-Policy"] == "no-referrer"
    assert not item.docs.exists()

    accepted = supplier.post(
        url,
        {**upload_data(item, GMP, lot=""), "csrfmiddlewaretoken": csrf},
        HTTP_ORIGIN="null",
    )
    assert accepted.status_code == 302
    assert item.docs.count() == 1
