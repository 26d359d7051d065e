"""`manage.py assess_product` gives the verdicts of docs/domain.md."""

import pytest

from products.models import SourceCategory
from tests.assess_support import (
    COSMETIC,
    EVERY_PRODUCT,
    documents,
    finding,
    rules_of,
    run,
    run_error,
)

pytestmark = pytest.mark.django_db


# --- The verdicts of docs/domain.md --------------------------------------------------------


def test_human_msc_in_uk_cosmetic_is_not_permitted_under_annex_ii_416():
    result = run(
        {
            "source_category": "human-msc-adipose",
            "cell_status": "post-culture-processed",
            "route": "topical-intact-skin",
            "marketed_as": "cosmetic",
        }
    )

    assert result["verdict"] == "not-permitted"
    assert result["findings"][0]["rule"] == "UK-SRC-HUMAN-COSMETIC"
    assert "Annex II entry 416" in result["findings"][0]["citation"]


def test_human_msc_injected_in_uk_is_an_unauthorised_medicine():
    result = run(
        {
            "source_category": "human-msc-umbilical-cord",
            "cell_status": "cell-free",
            "route": "injection",
        }
    )

    assert result["verdict"] == "not-permitted"
    assert "UK-SRC-HUMAN-MEDICINE" in rules_of(result)
    assert "reg. 46" in finding(result, "UK-SRC-HUMAN-MEDICINE")["citation"]


def test_fully_evidenced_plant_cosmetic_on_intact_skin_is_acceptable():
    result = run(
        {
            "source_category": "plant",
            "cell_status": "cell-free",
            "route": "topical-intact-skin",
            "marketed_as": "cosmetic",
            "lot": "A123",
            "as_of": "2026-11-25",
            "inci": ["Aqua", "Camellia Sinensis Leaf Extract"],
            "claims": ["brightens skin"],
            "evidence": documents(*EVERY_PRODUCT, *COSMETIC),
        }
    )

    assert result["verdict"] == "acceptable"
    assert {f["severity"] for f in result["findings"]} <= {"info"}


def test_autologous_prp_with_device_conformity_is_conditional():
    result = run(
        {
            "source_category": "autologous-prp",
            "cell_status": "cell-free",
            "route": "topical-compromised-skin",
            "marketed_as": "device",
            "evidence": documents("device-conformity"),
        }
    )

    assert result["verdict"] == "conditional"
    assert rules_of(result) == ["UK-SRC-AUTOLOGOUS"]


def test_autologous_prp_without_device_conformity_is_insufficient_information():
    result = run(
        {
            "source_category": "autologous-prp",
            "cell_status": "cell-free",
            "route": "topical-compromised-skin",
        }
    )

    assert result["verdict"] == "insufficient-information"


def test_unknown_source_is_insufficient_information():
    result = run(
        {
            "source_category": "unknown",
            "cell_status": "cell-free",
            "route": "topical-intact-skin",
            "marketed_as": "cosmetic",
            "lot": "A123",
            "evidence": documents(*EVERY_PRODUCT, *COSMETIC),
        }
    )

    assert result["verdict"] == "insufficient-information"
    assert result["findings"][0]["rule"] == "UK-SRC-UNKNOWN"


def test_eu_injected_plant_without_authorisation_is_not_permitted():
    result = run(
        {
            "jurisdiction": "EU",
            "source_category": "plant",
            "cell_status": "cell-free",
            "route": "injection",
            "lot": "A123",
            "evidence": documents(*EVERY_PRODUCT, "sterility", "endotoxin"),
        }
    )

    assert result["ruleset"] == "EU-2026.11"
    assert result["verdict"] == "not-permitted"
    assert result["findings"][0]["rule"] == "EU-ROUTE-INJECTION"


def test_us_human_topical_cosmetic_is_a_caution_not_a_ban():
    result = run(
        {
            "jurisdiction": "US",
            "source_category": "human-msc-adipose",
            "cell_status": "cell-free",
            "route": "topical-intact-skin",
            "marketed_as": "cosmetic",
            "lot": "A123",
            "evidence": documents(*EVERY_PRODUCT, *COSMETIC, "donor-screening"),
        }
    )

    assert result["ruleset"] == "US-2026.11"
    assert result["verdict"] == "conditional"
    assert finding(result, "US-SRC-HUMAN-COSMETIC")["severity"] == "caution"


def test_human_material_named_in_the_inci_of_a_plant_product_is_not_permitted():
    result = run(
        {
            "source_category": "plant",
            "cell_status": "cell-free",
            "route": "topical-intact-skin",
            "inci": "Aqua, Human Adipocyte Conditioned Media Extract",
        }
    )

    assert result["verdict"] == "not-permitted"
    assert "UK-COMPOSITION-HUMAN" in rules_of(result)


def test_a_failed_test_is_critical():
    evidence = documents(*EVERY_PRODUCT, *COSMETIC)
    evidence[0]["result"] = "fail"
    result = run(
        {
            "source_category": "plant",
            "cell_status": "cell-free",
            "route": "topical-intact-skin",
            "marketed_as": "cosmetic",
            "lot": "A123",
            "evidence": evidence,
        }
    )

    assert result["verdict"] == "not-permitted"
    assert "UK-EVID-FAILED" in rules_of(result)


def test_a_certificate_for_another_lot_does_not_count():
    evidence = documents(*EVERY_PRODUCT, *COSMETIC)
    evidence[0]["lot"] = "B999"
    result = run(
        {
            "source_category": "plant",
            "cell_status": "cell-free",
            "route": "topical-intact-skin",
            "marketed_as": "cosmetic",
            "lot": "A123",
            "evidence": evidence,
        }
    )

    assert result["verdict"] == "insufficient-information"
    assert "UK-EVID-LOT" in rules_of(result)


# --- Source categories come from the reference data -------------------------------------------


def test_inactive_source_category_still_resolves():
    SourceCategory.objects.filter(slug="plant").update(active=False)

    assert run({"source_category": "plant"})["ruleset"] == "UK-2026.11"


def test_unknown_source_slug_lists_the_rules_slugs():
    message = run_error({"source_category": "martian"})

    assert message.startswith("source_category: unknown value 'martian'; allowed: ")
    assert "human-msc-adipose" in message and "plant" in message
