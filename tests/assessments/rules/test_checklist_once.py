"""One evaluation builds the evidence checklist once: every evidence rule reads the same
entries (and so cannot disagree with each other or with the app's checklist)."""

from datetime import date

from assessments.rules import EvidenceFact, Facts, evaluate, evidence_checklist


def _facts(**overrides) -> Facts:
    answers = {
        "jurisdiction": "UK",
        "as_of": date(2026, 11, 30),
        "source_category": "plant",
        "cell_status": "cell-free",
        "route": "topical-intact-skin",
        "marketed_as": "cosmetic",
        "lot": "GT-2611",
        "evidence": (EvidenceFact("certificate-of-analysis", lot="GT-2611", result="pass"),),
    }
    answers.update(overrides)
    return Facts(**answers)


def test_one_evaluation_builds_the_checklist_once():
    evidence_checklist.cache_clear()
    evaluate(_facts())
    info = evidence_checklist.cache_info()
    assert info.misses == 1
    assert info.hits >= 1  # the evidence rules share it


def test_equal_facts_share_the_entries_and_different_facts_do_not():
    first = evidence_checklist(_facts())
    assert evidence_checklist(_facts()) is first
    other = evidence_checklist(_facts(lot="OTHER-LOT"))
    assert other is not first
    assert [e.slug for e in other] == [e.slug for e in first]
