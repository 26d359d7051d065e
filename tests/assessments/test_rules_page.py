"""The "How ExoCheck decides" page: every rule of every ruleset, with its citation."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessments.reports.context import SEVERITY_LABELS
from assessments.rules import EVIDENCE_CATALOGUE, RULESETS, Severity, Verdict, catalogue_for
from assessments.views.rules_page import WHEN_NEEDED, rules_context

pytestmark = pytest.mark.django_db

URL = "/how-exocheck-decides/"


def page(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_url_is_named_rules():
    assert reverse("rules") == URL


def test_lists_every_rule_of_every_ruleset_with_its_citation(clinician_client):
    html = page(clinician_client)

    assert {"UK", "EU", "US"} <= set(RULESETS)
    for ruleset in RULESETS.values():
        assert ruleset.version in html
        assert ruleset.rules
        for spec in ruleset.rules:
            assert f'id="{spec.id}"' in html, spec.id  # reports deep-link to the rule
            assert escape(spec.title) in html
            assert escape(spec.trigger) in html
            assert escape(spec.citation) in html, spec.id
            row = rule_row(html, spec.id)
            for text in (spec.title, spec.trigger, spec.citation, spec.rationale):
                assert escape(text) in row, (spec.id, text)
            assert severities_shown(row) == [SEVERITY_LABELS[s] for s in spec.severities], spec.id
            assert f'class="severity-{spec.severity.value}"' in row, spec.id


def rule_row(html: str, rule_id: str) -> str:
    start = html.index(f'<tr id="{rule_id}">')
    return html[start : html.index("</tr>", start)]


def severities_shown(row: str) -> list[str]:
    """The words in the row's severity cell, "Critical or Caution" as ["Critical", "Caution"]."""
    cell = re.search(r'<td class="severity-\w+"[^>]*>(.*?)</td>', row, re.S).group(1)
    return [word for word in cell.split() if word != "or"]


def test_a_rule_with_several_severities_shows_each_typed_severity():
    uk = rules_context()["rulesets"][0]
    assert uk["ruleset"].jurisdiction == "UK"
    animal = next(row.spec for row in uk["rules"] if row.id == "UK-SRC-ANIMAL")
    assert animal.severities == (Severity.INFO, Severity.MISSING)
    assert animal.severity is Severity.MISSING


def test_shows_the_known_uncertainties_of_each_ruleset(clinician_client):
    html = page(clinician_client)

    for ruleset in RULESETS.values():
        for uncertainty in ruleset.uncertainties:
            assert escape(uncertainty) in html
    assert "No MHRA statement specific to exosomes was found" in html


def test_explains_the_verdict_scale(clinician_client):
    html = page(clinician_client)

    for verdict in Verdict:
        assert f"verdict-{verdict.value}" in html  # the badge's colour; the reader sees the label
        assert escape(verdict.label) in html
        assert escape(verdict.meaning) in html
    assert "not legal advice" in html


def test_lists_the_evidence_catalogue_with_standards(clinician_client):
    html = page(clinician_client)

    for jurisdiction in RULESETS:
        for slug, info in catalogue_for(jurisdiction).items():
            assert f'id="{jurisdiction}-document-{slug}"' in html
            assert escape(info.name) in html
            assert escape(info.standard) in html
    assert escape(WHEN_NEEDED["donor-screening"]) in html


def test_every_catalogued_document_says_when_it_is_asked_for():
    assert set(WHEN_NEEDED) == set(EVIDENCE_CATALOGUE)
    assert all(text.strip() for text in WHEN_NEEDED.values())


def test_levels_are_worked_out_from_the_rules():
    uk = next(s for s in rules_context()["rulesets"] if s["ruleset"].jurisdiction == "UK")
    levels = {row.info.slug: row.level for row in uk["catalogue"]}

    recommended = {slug for slug, level in levels.items() if level == "recommended"}
    assert recommended == {"ev-markers", "preservative-efficacy", "stability"}
    assert levels["donor-screening"] == levels["device-conformity"] == "required"


def test_any_clinic_member_can_read_it(other_clinician_client, manager_client):
    assert "UK-SRC-HUMAN-COSMETIC" in page(other_clinician_client)
    assert "UK-SRC-HUMAN-COSMETIC" in page(manager_client)


def test_public_without_signing_in(client):
    # An inspector or a supplier reads the methodology without an account.
    assert "UK-SRC-HUMAN-COSMETIC" in page(client)


def test_signed_in_user_without_a_clinic_can_read_it_too(staff_client):
    assert "UK-SRC-HUMAN-COSMETIC" in page(staff_client)


def test_footer_links_to_it_from_every_page(clinician_client):
    dashboard = clinician_client.get(reverse("dashboard")).content.decode()

    assert f'href="{URL}"' in dashboard
    assert f'href="{URL}"' in page(clinician_client)


def test_query_count_is_bounded(clinician_client, django_assert_max_num_queries):
    clinician_client.get(URL)  # warm: the levels are computed once per process

    # +1: the navbar's counts, one query (notifications/context_processors.py).
    with django_assert_max_num_queries(7):
        response = clinician_client.get(URL)

    assert response.status_code == 200
