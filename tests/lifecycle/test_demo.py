"""The demo data (`manage.py seed_demo`, as `make run` loads it) shows the register at work:
an approval expiring within 30 days, its reminder, and a recheck after a rule change that
lists exactly the signed assessments the change affects."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from assessments.rules import RULESETS, Ruleset
from clinics.models import Clinic
from lifecycle.demo import LOT, PRODUCT
from lifecycle.recheck import changed_assessments
from lifecycle.register import counts, register_rows
from lifecycle.status import Status
from notifications.models import Notification
from tests.factories import log_in
from tests.module_db_support import rolled_back_at_module_end

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(module_media):
    """Replaces tests/conftest.py's per-test folder: the demo's reports are made once."""
    return module_media


@pytest.fixture(scope="module")
def demo_clinic_pk(django_db_setup, django_db_blocker, module_media):
    """The demo, seeded once for the module (it renders its signed reports); each test runs
    in a savepoint of it (tests/module_db_support.py), so what a test writes is undone."""
    with rolled_back_at_module_end(django_db_blocker):
        call_command("seed_demo", stdout=StringIO())
        yield Clinic.objects.get(slug="demo-clinic").pk


@pytest.fixture
def demo(db, demo_clinic_pk):
    return Clinic.objects.get(pk=demo_clinic_pk)


def test_the_demo_has_an_approval_expiring_within_30_days(demo, client):
    today = timezone.localdate()
    rows = {row.product.name: row for row in register_rows(demo, {}, today=today)}
    green_tea = rows[PRODUCT]
    assert green_tea.status is Status.APPROVED and green_tea.assessment.batch_lot == LOT
    assert 7 < (green_tea.outcome.valid_until - today).days <= 30
    assert counts(demo, today=today)["expiring"] == 1
    manager = demo.memberships.get(user__username="manager").user
    page = log_in(client, manager).get(reverse("dashboard")).content.decode()
    assert "1 expiring within 30 days" in page


def test_send_reminders_then_notifies_the_demo_manager(demo):
    call_command("send_reminders", stdout=None)
    (reminder,) = Notification.objects.filter(title__startswith="Approval of")
    assert reminder.recipient.username == "manager"
    assert reminder.title.startswith(f"Approval of {PRODUCT} expires on")
    call_command("send_reminders", stdout=None)  # idempotent
    assert Notification.objects.filter(title__startswith="Approval of").count() == 1


def test_seeding_again_adds_nothing(demo):
    before = Assessment.objects.count()
    call_command("seed_demo", stdout=None)
    assert Assessment.objects.count() == before


def test_recheck_after_a_rule_change_lists_exactly_the_affected(demo, monkeypatch, capsys):
    """A deliberate change in a test ruleset: UK-ROUTE-COMPROMISED (a caution for a
    non-human cosmetic on broken skin) is dropped. Only signed assessments that recorded it
    may be listed, and all of them must be."""
    signed = list(Assessment.objects.finalised().for_clinic(demo))
    assert len(signed) == 4 and changed_assessments(demo) == []  # nothing before the change
    dropped = "UK-ROUTE-COMPROMISED"
    uk = RULESETS["UK"]
    rules = [spec for spec in uk.rules if spec.id != dropped]
    monkeypatch.setitem(RULESETS, "UK", Ruleset("UK", "UK-TEST", "Test", rules=rules))

    expected = {a.pk for a in signed if dropped in {f["rule"] for f in a.signed_record["findings"]}}
    changes = changed_assessments(demo)
    assert {change.assessment.pk for change in changes} == expected
    assert {c.assessment.names.product.name for c in changes} == {"Centella Booster"}
    for change in changes:
        assert [f["rule"] for f in change.removed] == [dropped] and change.added == ()

    call_command("recheck_signed")
    out = capsys.readouterr().out
    assert f"{len(expected)} signed assessment(s) would change." in out
    for assessment in signed:
        assert (assessment.document_id in out) is (assessment.pk in expected)
