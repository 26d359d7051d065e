import pytest

from assessments.rules import EVIDENCE_CATALOGUE, origin_for_slug
from products.models import CellStatus, EvidenceType, Route, SourceCategory

pytestmark = pytest.mark.django_db

SOURCE_SLUGS = {
    "human-msc-adipose": "human",
    "human-msc-bone-marrow": "human",
    "human-msc-umbilical-cord": "human",
    "human-placental-amniotic": "human",
    "human-platelet": "human",
    "human-other": "human",
    "autologous-prp": "autologous",
    "plant": "plant",
    "animal": "animal",
    "microbial": "microbial",
    "synthetic": "synthetic",
    "unknown": "unknown",
}


def test_source_categories_are_exactly_the_domain_slugs_with_their_origin():
    loaded = {
        slug: origin_for_slug(slug).value
        for slug in SourceCategory.objects.values_list("slug", flat=True)
    }
    assert loaded == SOURCE_SLUGS


def test_cell_statuses_routes_and_evidence_types_are_loaded():
    assert set(CellStatus.objects.values_list("slug", flat=True)) == {
        "live-cell",
        "cell-free",
        "post-culture-processed",
        "unknown",
    }
    assert set(Route.objects.values_list("slug", flat=True)) == {
        "topical-intact-skin",
        "topical-compromised-skin",
        "injection",
    }
    assert set(EvidenceType.objects.values_list("slug", flat=True)) == set(EVIDENCE_CATALOGUE)
    lot_specific = {slug for slug, info in EVIDENCE_CATALOGUE.items() if info.lot_specific}
    assert lot_specific == {"certificate-of-analysis", "sterility", "endotoxin"}


def test_every_reference_row_has_a_name_and_description():
    for model in (SourceCategory, CellStatus, Route, EvidenceType):
        assert not model.objects.filter(name="").exists()
        assert not model.objects.filter(description="").exists()
