"""The register settings page: a clinic's re-assessment interval, set by its practice
managers and clinic admins only, validated (1 to 60 months), audited, per clinic."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from clinics.errors import NotAllowed
from lifecycle.models import LifecycleSettings
from lifecycle.register import register_rows
from lifecycle.services import set_reassessment_interval
from tests.factories import log_in
from tests.lifecycle.support import products, signed_assessment

pytestmark = pytest.mark.django_db
URL = "/register/settings/"


def test_url_is_named():
    assert reverse("lifecycle:settings") == URL


def test_the_page_shows_the_default_with_help(manager_client):
    html = manager_client.get(URL).content.decode()
    assert "Register settings" in html
    assert 'value="12"' in html and "12 months" in html
    assert "Between 1 and 60 months" in html  # help text under the field
    assert 'for="id_months"' in html and 'aria-describedby="id_months_helptext"' in html


@pytest.mark.parametrize("persona", ["manager", "clinic_admin"])
def test_managers_and_admins_set_it_with_a_message_and_an_audit_entry(request, clinic, persona):
    user = request.getfixturevalue(persona)
    client = request.getfixturevalue(f"{persona}_client")
    response = client.post(URL, {"months": "6"})
    assert response.status_code == 302 and response.url == URL
    assert LifecycleSettings.interval_for(clinic) == 6
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("Saved: approvals are now re-assessed every 6 months")
    (entry,) = LifecycleSettings.objects.get(clinic=clinic).history.all()
    assert entry.history_user == user
    assert entry.history_change_reason == "Re-assessment interval set to 6 months"


def test_clinicians_may_not(clinic, clinician, clinician_client):
    assert clinician_client.get(URL).status_code == 403
    assert clinician_client.post(URL, {"months": "3"}).status_code == 403
    with pytest.raises(NotAllowed):
        set_reassessment_interval(clinic=clinic, by=clinician, months=3)
    assert not LifecycleSettings.objects.exists()


def test_the_register_links_to_it_for_those_who_may_use_it(
    manager_client, clinic_admin_client, clinician_client
):
    register = reverse("lifecycle:register")
    for client in (manager_client, clinic_admin_client):
        assert f'href="{URL}"' in client.get(register).content.decode()
    assert f'href="{URL}"' not in clinician_client.get(register).content.decode()


@pytest.mark.parametrize("months", ["0", "61", "-1", "twelve", ""])
def test_out_of_range_is_refused_and_nothing_saved(manager_client, months):
    response = manager_client.post(URL, {"months": months})
    assert response.status_code == 200
    assert response.context["form"].errors["months"]
    assert 'aria-invalid="true"' in response.content.decode() or "is-invalid" in (
        response.content.decode()
    )
    assert not LifecycleSettings.objects.exists()


@pytest.mark.parametrize("months", [0, 61])
def test_the_service_validates_too(clinic, manager, months):
    with pytest.raises(ValidationError):
        set_reassessment_interval(clinic=clinic, by=manager, months=months)
    assert not LifecycleSettings.objects.exists()


@pytest.mark.parametrize("months", [1, 60])
def test_both_ends_are_allowed(clinic, manager, months):
    assert set_reassessment_interval(clinic=clinic, by=manager, months=months).pk
    assert LifecycleSettings.interval_for(clinic) == months


def test_saving_the_same_value_adds_no_history(clinic, manager):
    set_reassessment_interval(clinic=clinic, by=manager, months=9)
    set_reassessment_interval(clinic=clinic, by=manager, months=9)
    assert LifecycleSettings.objects.get(clinic=clinic).history.count() == 1


def test_each_clinic_has_its_own(clinic, other_clinic, manager, other_manager):
    other_client = log_in(Client(), other_manager)
    assert other_client.post(URL, {"months": "3"}).status_code == 302
    assert LifecycleSettings.interval_for(other_clinic) == 3
    assert LifecycleSettings.interval_for(clinic) == 12
    # A manager of one clinic cannot set another's, even by calling the service.
    with pytest.raises(NotAllowed):
        set_reassessment_interval(clinic=other_clinic, by=manager, months=24)
    assert LifecycleSettings.interval_for(other_clinic) == 3


def test_the_register_follows_at_once(clinic, manager, manager_client):
    (product,) = products(clinic, 1)
    signed_assessment(product, finalised=date(2026, 6, 1))
    today = date(2026, 7, 1)
    (row,) = register_rows(clinic, {}, today=today)
    assert row.outcome.valid_until == date(2027, 6, 1)
    manager_client.post(URL, {"months": "3"})
    (row,) = register_rows(clinic, {}, today=today)
    assert row.outcome.valid_until == date(2026, 9, 1)
