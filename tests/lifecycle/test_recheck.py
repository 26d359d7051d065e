"""Recheck: signed assessments re-evaluated under a changed ruleset, never touched."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from assessments.rules import RULESETS, Ruleset
from assessments.signed_record import build_signed_record
from lifecycle.recheck import (
    RECHECK_LABEL,
    _current_result,
    changed_assessments,
    facts_from_record,
)
from lifecycle.register import register_rows
from tests.factories import AssessmentFactory, evaluated

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(clinic):
    assessment = evaluated(AssessmentFactory(product__clinic=clinic))
    assessment.signed_record = build_signed_record(assessment, evidence=[])
    assessment.status = Assessment.Status.FINALISED
    assessment.submitted_at = assessment.finalised_at = timezone.now()
    assessment.save()
    return assessment


@pytest.fixture
def changed_rules(signed, monkeypatch):
    """The UK ruleset without the rule of the signed record's first finding."""
    dropped = signed.signed_record["findings"][0]["rule"]
    current = RULESETS["UK"]
    rules = [spec for spec in current.rules if spec.id != dropped]
    monkeypatch.setitem(RULESETS, "UK", Ruleset("UK", "UK-TEST", "Test", rules=rules))
    return dropped


def test_unchanged_rules_change_nothing(signed, clinic):
    assert changed_assessments(clinic) == []
    (row,) = register_rows(clinic, {}, today=timezone.localdate())
    assert not row.rules_changed


def test_a_changed_ruleset_is_reported_without_touching_the_record(signed, clinic, changed_rules):
    before = Assessment.objects.get(pk=signed.pk)
    (change,) = changed_assessments(clinic)
    assert [f["rule"] for f in change.removed] == [changed_rules]
    assert change.added == ()
    assert change.current_ruleset == "UK-TEST"
    after = Assessment.objects.get(pk=signed.pk)
    assert after.signed_record == before.signed_record
    assert after.findings == before.findings and after.updated_at == before.updated_at


def test_the_register_asks_for_a_reassessment(signed, clinic, changed_rules):
    (row,) = register_rows(clinic, {}, today=timezone.localdate())
    assert row.rules_changed


def test_the_register_page_shows_it(signed, clinic, changed_rules, manager_client):
    page = manager_client.get(reverse("lifecycle:register")).content.decode()
    assert RECHECK_LABEL in page


def test_the_command_and_the_page_list_the_diff(signed, changed_rules, manager_client, capsys):
    call_command("recheck_signed")
    out = capsys.readouterr().out
    assert signed.document_id in out and f"- {changed_rules}" in out
    assert "1 signed assessment(s) would change." in out
    page = manager_client.get(reverse("lifecycle:recheck")).content.decode()
    assert signed.document_id in page and changed_rules in page


def test_a_result_is_kept_per_facts_and_replaced_ruleset_never_answered_for(signed, monkeypatch):
    """The register re-checks the same records on every view: the result is kept for the
    same facts and ruleset, and a ruleset put in its place is evaluated afresh."""
    facts = facts_from_record(signed.signed_record, as_of=timezone.localdate())
    first = _current_result(facts)
    assert _current_result(facts) is first
    monkeypatch.setitem(RULESETS, "UK", Ruleset("UK", "UK-EMPTY", "No rules", rules=[]))
    assert _current_result(facts).findings == ()
    monkeypatch.undo()
    assert _current_result(facts) is first
