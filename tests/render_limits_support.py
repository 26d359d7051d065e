"""The largest report the limits allow, and HTML that no limit allows: shared by
tests/assessments/test_render_limits.py and benchmarks/bench_render_limits.py."""

from assessments.models import Assessment
from core.limits import (
    CLAIMS_MAX_CHARS,
    INCI_MAX_CHARS,
    NOTE_MAX_CHARS,
    SUPPLIER_ANSWER_MAX_CHARS,
)
from tests.reporting import PLANT_EVIDENCE, add_evidence, make_assessment

INCI_WORDS = "Aqua, Glycerin, Butylene Glycol, Camellia Sinensis Leaf Extract, Niacinamide, "
CLAIMS_WORDS = "Visibly brightens and firms the skin in 14 days; clinically tested on 32 people. "
ANSWER_WORDS = "The vesicles come from leaf cell culture; the supplier's own words, line by line.\n"
NOTE_WORDS = "Approved for purchase of this lot only, subject to the certificate being current. "
# Many documents on file, each row with the longest laboratory, lot and file names allowed.
EVIDENCE_ROWS = 60
EVIDENCE_SLUGS = ("certificate-of-analysis", "sterility", "endotoxin", "gmp-certificate")


def text_of(length: int, words: str) -> str:
    """Realistic text (words, commas, line breaks) of exactly `length` characters."""
    return (words * (length // len(words) + 1))[:length]


def largest_answers() -> dict:
    """Every free-text answer of an assessment at its maximum length."""
    return {
        "inci": text_of(INCI_MAX_CHARS, INCI_WORDS),
        "claims": text_of(CLAIMS_MAX_CHARS, CLAIMS_WORDS),
        "source_answer": text_of(SUPPLIER_ANSWER_MAX_CHARS, ANSWER_WORDS),
        "cell_status_answer": text_of(SUPPLIER_ANSWER_MAX_CHARS, ANSWER_WORDS),
        "testing_answer": text_of(SUPPLIER_ANSWER_MAX_CHARS, ANSWER_WORDS),
    }


def largest_statement() -> str:
    return text_of(NOTE_MAX_CHARS, NOTE_WORDS)


def make_largest_assessment(*, clinic, product, user, status=Assessment.Status.SUBMITTED):
    """A submitted assessment whose report is as large as the field limits allow: INCI and
    claims at 20,000 characters, the three answers at 10,000, EVIDENCE_ROWS documents."""
    lot = "L" * 80
    assessment = make_assessment(
        clinic=clinic,
        product=product,
        user=user,
        status=status,
        batch_lot=lot,
        evidence=[(slug, "L" * 200, None, result) for slug, _, _, result in PLANT_EVIDENCE],
        **largest_answers(),
    )
    for index in range(EVIDENCE_ROWS - len(PLANT_EVIDENCE)):
        add_evidence(
            assessment,
            user,
            EVIDENCE_SLUGS[index % len(EVIDENCE_SLUGS)],
            lab=text_of(200, "Eurofins Laboratory Services "),
            lot=lot,
            original_filename=f"{index:03d}-" + "f" * 246 + ".pdf",
            notes=text_of(NOTE_MAX_CHARS, NOTE_WORDS),
        )
    assessment.full_clean()
    return assessment


def oversized_answers() -> dict:
    """What a record made before the field limits could hold: the issue's pasted INCI list
    (half of its 2.4 MB is enough to go far past every render limit)."""
    return {"inci": text_of(1_200_000, INCI_WORDS)}


def heavy_html(characters: int) -> str:
    """HTML of about `characters` characters of text: past the limits at a few hundred
    thousand (the paste that once stalled the workers was 2.4 million)."""
    paragraph = f"<p>{text_of(2000, 'Aqua Glycerin Butylene-Glycol Niacinamide Hyaluronate ')}</p>"
    return f"<html><body>{paragraph * (characters // 2000 + 1)}</body></html>"
