"""API tokens: shown once, stored hashed, expiring, revocable, scoped; the token pages."""

import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import ApiAuditEvent, ApiToken
from api.tokens import create_token, find_live_token, revoke_token
from clinics.errors import NotAllowed
from clinics.models import Membership, Role
from tests.api.support import ApiClient, assert_problem, token_for
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_the_plain_token_is_256_random_bits_and_only_its_sha256_is_stored(clinician, clinic):
    new = create_token(clinic=clinic, by=clinician, name="Stock", scope="read")
    prefix, secret = new.plain.split("_")[1], new.plain.split("_", 2)[2]
    token = ApiToken.objects.get()
    assert new.plain.startswith(f"exo_{token.prefix}_") and prefix == token.prefix
    assert len(secret) >= 43  # 32 bytes, URL-safe base64
    assert token.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.values().get().values()]
    assert not any(secret in value for value in stored)
    assert find_live_token(new.plain) == token
    assert find_live_token(new.plain[:-1] + ("A" if new.plain[-1] != "A" else "B")) is None


def test_default_expiry_is_90_days_and_at_most_a_year(clinician, clinic):
    token = create_token(clinic=clinic, by=clinician, name="Stock").token
    assert (timezone.localdate(token.expires_at) - timezone.localdate()).days == 90
    too_far = timezone.localdate() + timedelta(days=366)
    with pytest.raises(Exception, match="a year from today"):
        create_token(clinic=clinic, by=clinician, name="Long", expires_on=too_far)


def test_an_expired_or_revoked_token_is_refused_with_401(clinician, clinic):
    plain = token_for(clinician, clinic, scope="read")
    api = ApiClient(plain)
    assert api.get("/api/v1/suppliers").status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    body = assert_problem(api.get("/api/v1/suppliers"), 401)
    assert "token" in body["detail"]
    ApiToken.objects.update(expires_at=timezone.now() + timedelta(days=1))
    revoke_token(token=ApiToken.objects.get(), by=clinician)
    response = api.get("/api/v1/suppliers")
    assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_no_token_or_a_malformed_one_is_401(db):
    for header in (None, "nonsense", "exo__", "exo_abc_def"):
        assert_problem(ApiClient(header).get("/api/v1/suppliers"), 401)


def test_a_read_token_cannot_write_but_may_evaluate(clinician, clinic):
    api = ApiClient(token_for(clinician, clinic, scope="read"))
    body = assert_problem(api.post("/api/v1/suppliers", {"legal_name": "Acme"}), 403)
    assert body["type"].endswith("insufficient-scope")
    assert api.post("/api/v1/evaluate", {"source_category": "plant"}).status_code == 200


def test_a_member_removed_from_the_clinic_loses_the_api_at_once(clinician, clinic):
    api = ApiClient(token_for(clinician, clinic))
    Membership.objects.filter(user=clinician).delete()
    assert_problem(api.get("/api/v1/suppliers"), 401)


def test_rate_limit_per_token_is_429_with_retry_after(clinician, clinic, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    api = ApiClient(token_for(clinician, clinic, scope="read"))
    other = ApiClient(token_for(clinician, clinic, scope="read", name="Other"))
    for _ in range(3):
        assert api.get("/api/v1/suppliers").status_code == 200
    response = api.get("/api/v1/suppliers")
    assert_problem(response, 429)
    assert 0 < int(response["Retry-After"]) <= 60
    assert other.get("/api/v1/suppliers").status_code == 200


def test_only_a_clinic_admin_makes_tokens_for_another_member(clinic, clinician, clinic_admin):
    service = make_user("stock-system", clinic, Role.CLINICIAN)
    with pytest.raises(NotAllowed):
        create_token(clinic=clinic, by=clinician, name="x", for_user=service)
    token = create_token(clinic=clinic, by=clinic_admin, name="Stock", for_user=service).token
    assert token.user == service and token.created_by == clinic_admin
    with pytest.raises(NotAllowed):
        revoke_token(token=token, by=clinician)
    revoke_token(token=token, by=clinic_admin)
    actions = list(ApiAuditEvent.objects.values_list("action", "token_name", "user__username"))
    assert ("token.created", "Stock", "clinicadmin") in actions
    assert ("token.revoked", "Stock", "clinicadmin") in actions


def test_token_page_shows_the_new_token_once_and_revokes(clinician_client, clinician):
    url = reverse("api_tokens")
    page = clinician_client.get(url)
    assert page.status_code == 200
    assert 'for="id_name"' in page.content.decode()
    response = clinician_client.post(
        url,
        {
            "name": "Stock system",
            "scope": "write",
            "expires_on": page.context["form"]["expires_on"].value(),
        },
    )
    created = response.context["created"]
    html = response.content.decode()
    assert created.plain in html and "shown once" in html
    assert response["Cache-Control"] == "no-store"
    assert created.plain not in clinician_client.get(url).content.decode()
    token = ApiToken.objects.get()
    response = clinician_client.post(reverse("api_token_revoke", args=[token.pk]), follow=True)
    assert "revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_user_menu_links_to_the_token_page(clinician_client):
    assert reverse("api_tokens") in clinician_client.get("/").content.decode()


def test_another_clinics_token_cannot_be_revoked_from_here(
    clinician_client, other_clinician, other_clinic
):
    create_token(clinic=other_clinic, by=other_clinician, name="Theirs")
    token = ApiToken.objects.get()
    response = clinician_client.post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
