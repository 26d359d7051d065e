"""The public "How ExoCheck decides" page: anyone may read it, it is written in words (never
the rules' code names), it is built from the rules registry, and it shows nothing of a clinic."""

import html as html_lib
import re
from dataclasses import replace

import pytest
from django.urls import reverse

from assessments.rules import (
    EVIDENCE_CATALOGUE,
    RULESETS,
    SOURCE_CATEGORY_ORIGINS,
    EvidenceStatus,
    Severity,
    Verdict,
)
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db

URL = "/how-exocheck-decides/"


def page(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def visible_text(html: str) -> str:
    """What a reader sees: no tags, attributes, scripts or styles; entities decoded."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def main_of(html: str) -> str:
    return html[html.index('<main id="main"') : html.index("</main>")]


def test_anonymous_reader_sees_every_rule_of_every_jurisdiction(client):
    html = page(client)
    text = visible_text(html)

    assert {"UK", "EU", "US"} <= set(RULESETS)
    for ruleset in RULESETS.values():
        assert f'id="ruleset-{ruleset.jurisdiction}"' in html
        assert ruleset.version in text
        for spec in ruleset.rules:
            assert f'<tr id="{spec.id}">' in html, spec.id
            assert f'href="#{spec.id}"' in html, spec.id  # the table of contents
            assert spec.id in text


def test_each_rule_shows_its_explanation_citation_and_next_step(client):
    text = visible_text(page(client))

    for ruleset in RULESETS.values():
        for spec in ruleset.rules:
            for part in (spec.title, spec.trigger, spec.rationale, spec.citation):
                assert " ".join(part.split()) in text, (spec.id, part)
            if spec.next_step:
                assert " ".join(spec.next_step.split()) in text, spec.id
    assert "Given in each finding" in text  # rules whose findings each name their next step


def test_no_code_names_in_the_visible_text(client):
    text = visible_text(page(client))

    # Some slugs are also plain English compounds in the rules' own sentences ("donor-screening
    # records"); those are words there, not code names.
    prose = " ".join(
        f"{spec.trigger} {spec.rationale} {spec.next_step} {spec.citation}"
        for ruleset in RULESETS.values()
        for spec in ruleset.rules
    )
    code_names = [verdict.value for verdict in Verdict]
    code_names += [slug for slug in EVIDENCE_CATALOGUE if "-" in slug and slug not in prose]
    code_names += [slug for slug in SOURCE_CATEGORY_ORIGINS if "-" in slug]
    code_names += [status.value for status in EvidenceStatus if "-" in status.value]
    code_names += ["not-stated", "topical-intact-skin", "topical-compromised-skin"]
    for code_name in code_names:
        assert code_name not in text, code_name
    for verdict in Verdict:
        assert verdict.label in text
    for severity in (Severity.CRITICAL, Severity.INFO):
        assert f" {severity.value} " not in f" {text} "  # shown as "Critical", "Information"
    assert "Information" in text


def test_table_of_contents_lists_jurisdictions_verdicts_sources_and_evidence(client):
    html = page(client)
    contents = html[html.index('<nav id="contents"') : html.index("</nav>", html.index("contents"))]

    for anchor in ("#verdicts", "#answers", "#evidence"):
        assert f'href="{anchor}"' in contents
    for jurisdiction in RULESETS:
        assert f'href="#ruleset-{jurisdiction}"' in contents
        assert f'href="#ruleset-{jurisdiction}-documents"' in contents


def test_the_rules_come_from_the_registry(client, monkeypatch):
    uk = RULESETS["UK"]
    probe = replace(
        uk.rules[0],
        id="UK-TEST-PROBE",
        title="A rule added to the registry only",
        citation="Probe Regulations 2099",
        next_step="Read the probe.",
    )
    monkeypatch.setattr(uk, "rules", [*uk.rules, probe])

    html = page(client)

    assert '<tr id="UK-TEST-PROBE">' in html
    assert 'href="#UK-TEST-PROBE"' in html
    for text in ("A rule added to the registry only", "Probe Regulations 2099", "Read the probe."):
        assert text in html


def test_shows_no_clinic_data(client, clinician_client, clinic, plant_product):
    assessment = AssessmentFactory(
        clinic=clinic, product=plant_product, batch_lot="SENTINEL-LOT-77"
    )
    secrets = [clinic.name, plant_product.name, plant_product.supplier.legal_name]
    secrets += [assessment.batch_lot, assessment.document_id]

    for html in (page(client), main_of(page(clinician_client))):
        for secret in secrets:
            assert secret not in html, secret


def test_linked_from_the_login_page_and_every_footer(client, clinician_client):
    login = client.get(reverse("login")).content.decode()
    assert f'href="{URL}"' in main_of(login)
    footer_of = lambda html: html[html.index("<footer") :]  # noqa: E731
    assert f'href="{URL}"' in footer_of(login)
    assert f'href="{URL}"' in footer_of(page(client))
    assert f'href="{URL}"' in footer_of(clinician_client.get(reverse("dashboard")).content.decode())


def test_printable_with_its_own_print_stylesheet(client):
    html = page(client)

    assert "css/rules-page.css" in html
    assert 'class="ruleset mb-5"' in html  # each ruleset starts a printed page


def test_only_reading_is_allowed(client):
    assert client.post(URL).status_code == 405
