"""The evidence catalogue and which documents a product needs (docs/domain.md §3)."""

from datetime import date

import pytest

from assessments.rules import (
    CELL_STATUSES,
    EVIDENCE_CATALOGUE,
    JURISDICTIONS,
    MARKETED_AS,
    ROUTES,
    EvidenceFact,
    Origin,
    Requirement,
    UnknownValueError,
    catalogue_for,
    evidence_requirements,
)

ALWAYS = {"certificate-of-analysis", "gmp-certificate", "origin-declaration", "ev-characterisation"}
RECOMMENDED_ALWAYS = {"ev-markers", "stability"}
COSMETIC = {"cpsr", "scpn-notification", "microbial-limits"}
STERILE = {"sterility", "endotoxin"}


def needs(
    origin=Origin.PLANT,
    cell_status="cell-free",
    route="topical-intact-skin",
    marketed_as="cosmetic",
    jurisdiction="UK",
):
    reqs = evidence_requirements(
        origin=origin,
        cell_status=cell_status,
        route=route,
        marketed_as=marketed_as,
        jurisdiction=jurisdiction,
    )
    required = {r.type for r in reqs if r.level == "required"}
    recommended = {r.type for r in reqs if r.level == "recommended"}
    return required, recommended


def test_catalogue_has_the_sixteen_slugs_of_the_domain_doc():
    """docs/domain.md §3.5."""
    assert list(EVIDENCE_CATALOGUE) == [
        "certificate-of-analysis",
        "gmp-certificate",
        "origin-declaration",
        "ev-characterisation",
        "ev-markers",
        "cpsr",
        "scpn-notification",
        "microbial-limits",
        "preservative-efficacy",
        "stability",
        "sterility",
        "endotoxin",
        "mycoplasma",
        "donor-screening",
        "marketing-authorisation",
        "device-conformity",
    ]


def test_only_coa_sterility_and_endotoxin_are_lot_specific():
    lot_specific = {slug for slug, info in EVIDENCE_CATALOGUE.items() if info.lot_specific}
    assert lot_specific == {"certificate-of-analysis", "sterility", "endotoxin"}


@pytest.mark.parametrize("slug, info", EVIDENCE_CATALOGUE.items())
def test_every_catalogue_entry_says_what_it_proves_and_by_which_standard(slug, info):
    assert info.slug == slug
    assert info.name and info.proves and info.standard


@pytest.mark.parametrize(
    "jurisdiction, slug, expected",
    [
        ("UK", "scpn-notification", "SCPN"),
        ("EU", "scpn-notification", "CPNP"),
        ("US", "scpn-notification", "FDA"),
        ("UK", "marketing-authorisation", "HMR 2012"),
        ("EU", "marketing-authorisation", "2001/83/EC"),
        ("US", "marketing-authorisation", "PHS Act s. 351"),
        ("EU", "device-conformity", "2017/745"),
        ("US", "cpsr", "MoCRA"),
    ],
)
def test_catalogue_uses_each_jurisdictions_names(jurisdiction, slug, expected):
    info = catalogue_for(jurisdiction)[slug]
    assert expected in f"{info.name} {info.proves} {info.standard}"


@pytest.mark.parametrize(
    "answers, required, recommended",
    [
        (
            {},
            ALWAYS | COSMETIC,
            RECOMMENDED_ALWAYS | {"preservative-efficacy"},
        ),
        (
            {"route": "topical-compromised-skin"},
            ALWAYS | COSMETIC | STERILE,
            RECOMMENDED_ALWAYS | {"preservative-efficacy"},
        ),
        (
            {"route": "injection"},
            ALWAYS | STERILE | {"marketing-authorisation"},
            RECOMMENDED_ALWAYS,
        ),
        (
            {"marketed_as": "unknown"},
            ALWAYS | COSMETIC,
            RECOMMENDED_ALWAYS | {"preservative-efficacy"},
        ),
        (
            {"marketed_as": "medicine"},
            ALWAYS | {"marketing-authorisation"},
            RECOMMENDED_ALWAYS,
        ),
        ({"marketed_as": "device"}, ALWAYS, RECOMMENDED_ALWAYS),
        (
            {"origin": Origin.HUMAN, "cell_status": "post-culture-processed"},
            ALWAYS | COSMETIC | {"mycoplasma", "donor-screening"},
            RECOMMENDED_ALWAYS | {"preservative-efficacy"},
        ),
        (
            {"origin": Origin.ANIMAL, "cell_status": "live-cell"},
            ALWAYS | COSMETIC | {"mycoplasma"},
            RECOMMENDED_ALWAYS | {"preservative-efficacy"},
        ),
        (
            {"origin": Origin.ANIMAL, "cell_status": "cell-free"},
            ALWAYS | COSMETIC,
            RECOMMENDED_ALWAYS | {"preservative-efficacy"},
        ),
        (
            {"origin": Origin.PLANT, "cell_status": "post-culture-processed"},
            ALWAYS | COSMETIC,
            RECOMMENDED_ALWAYS | {"preservative-efficacy"},
        ),
    ],
)
def test_requirements_follow_the_table_of_the_domain_doc(answers, required, recommended):
    """docs/domain.md §3.6."""
    assert needs(**answers) == (required, recommended)


@pytest.mark.parametrize("route", [*ROUTES, None])
@pytest.mark.parametrize("marketed_as", MARKETED_AS)
@pytest.mark.parametrize("cell_status", [*CELL_STATUSES, None])
def test_autologous_point_of_care_needs_only_device_conformity(route, marketed_as, cell_status):
    reqs = evidence_requirements(
        origin="autologous", cell_status=cell_status, route=route, marketed_as=marketed_as
    )
    assert [(r.type, r.level) for r in reqs] == [("device-conformity", "required")]


@pytest.mark.parametrize("origin", [o for o in Origin if o is not Origin.HUMAN])
def test_donor_screening_only_for_human_origin(origin):
    required, recommended = needs(origin=origin, cell_status="live-cell")
    assert "donor-screening" not in required | recommended


@pytest.mark.parametrize(
    "answers, expected_required, expected_absent",
    [
        # the route unanswered: cosmetic documents and sterile tests, but no authorisation
        ({"route": None}, ALWAYS | COSMETIC | STERILE, {"marketing-authorisation"}),
        # the origin unanswered: no autologous exemption; mycoplasma not ruled out
        ({"origin": None, "cell_status": "live-cell"}, ALWAYS | {"mycoplasma"}, set()),
        ({"origin": Origin.UNKNOWN}, ALWAYS, {"donor-screening", "device-conformity"}),
        # the cell status unanswered, from an animal: mycoplasma is asked for
        ({"origin": Origin.ANIMAL, "cell_status": None}, ALWAYS | {"mycoplasma"}, set()),
        ({"origin": Origin.ANIMAL, "cell_status": "unknown"}, ALWAYS | {"mycoplasma"}, set()),
        # a plant cannot carry mammalian mycoplasma, answered or not
        ({"origin": Origin.PLANT, "cell_status": None}, ALWAYS, {"mycoplasma"}),
    ],
)
def test_unanswered_questions_are_read_conservatively(answers, expected_required, expected_absent):
    required, recommended = needs(**answers)
    assert expected_required <= required
    assert not expected_absent & (required | recommended)


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_every_requirement_gives_a_reason(jurisdiction):
    for origin in [*Origin, None]:
        for route in [*ROUTES, None]:
            for req in evidence_requirements(
                origin=origin,
                cell_status=None,
                route=route,
                marketed_as="unknown",
                jurisdiction=jurisdiction,
            ):
                assert req.reason.endswith(".")
                assert req.level in ("required", "recommended")


def test_requirements_are_in_catalogue_order():
    order = list(EVIDENCE_CATALOGUE)
    reqs = evidence_requirements(
        origin="human", cell_status="live-cell", route="injection", marketed_as="medicine"
    )
    positions = [order.index(r.type) for r in reqs]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"origin": "martian"}, "origin"),
        ({"cell_status": "alive"}, "cell status"),
        ({"route": "oral"}, "route"),
        ({"marketed_as": "food"}, "marketed as"),
        ({"jurisdiction": "FR"}, "jurisdiction"),
    ],
)
def test_requirements_refuse_unknown_values(kwargs, field):
    answers = {"origin": "plant", "cell_status": None, "route": None, **kwargs}
    with pytest.raises(UnknownValueError) as raised:
        evidence_requirements(**answers)
    assert raised.value.field == field
    assert f"Unknown {field}" in str(raised.value)


def test_requirement_refuses_an_unknown_type_or_level():
    with pytest.raises(UnknownValueError, match="evidence type"):
        Requirement("horoscope", "required", "")
    with pytest.raises(UnknownValueError, match="level"):
        Requirement("cpsr", "nice-to-have", "")


@pytest.mark.parametrize(
    "doc, lot, expected",
    [
        (EvidenceFact("certificate-of-analysis", lot="L1"), "L1", False),
        (EvidenceFact("certificate-of-analysis", lot=" l1 "), "L1", False),
        (EvidenceFact("certificate-of-analysis", lot="L2"), "L1", True),
        (EvidenceFact("certificate-of-analysis", lot=""), "L1", True),
        (EvidenceFact("certificate-of-analysis", lot="L2"), "", False),
        (EvidenceFact("gmp-certificate", lot="L2"), "L1", False),
    ],
)
def test_lot_specific_documents_count_only_for_their_lot(doc, lot, expected):
    assert doc.wrong_lot(lot) is expected


@pytest.mark.parametrize(
    "expires, expected",
    [
        (None, False),
        (date(2026, 11, 2), False),
        (date(2026, 11, 1), False),
        (date(2026, 10, 31), True),
    ],
)
def test_a_document_expires_after_its_expiry_date(expires, expected):
    assert EvidenceFact("gmp-certificate", expires=expires).expired(date(2026, 11, 1)) is expected


def test_an_expired_finding_names_the_expired_documents_date_not_a_later_one():
    # One copy for lot A expired; a current copy is for another lot: the status is
    # "expired" (it ranks first), and the date printed is the expired copy's.
    from assessments.rules import EvidenceFact, Facts, Origin, evaluate

    facts = Facts(
        source_category="plant",
        origin=Origin.PLANT,
        cell_status="cell-free",
        route="topical-intact-skin",
        marketed_as="cosmetic",
        lot="A",
        as_of=date(2026, 6, 1),
        evidence=(
            EvidenceFact(
                "certificate-of-analysis",
                lot="A",
                issued=date(2024, 1, 1),
                expires=date(2025, 1, 1),
                result="pass",
            ),
            EvidenceFact(
                "certificate-of-analysis",
                lot="B",
                issued=date(2026, 1, 1),
                expires=date(2027, 1, 1),
                result="pass",
            ),
        ),
    )

    (expired,) = [f for f in evaluate(facts).findings if f.rule_id == "UK-EVID-EXPIRED"]

    assert "2025-01-01" in expired.explanation
    assert "2027-01-01" not in expired.explanation
