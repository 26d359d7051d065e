"""How each slug of the closed vocabularies is first shown (docs/domain.md §2).

The rules decide by slug (values.py, evidence.py); these are the default display texts the
reference data starts from. Staff admins may reword them in the admin afterwards; the slugs
stay exactly these.
"""

from __future__ import annotations

from typing import NamedTuple

from .evidence import EVIDENCE_CATALOGUE
from .values import CELL_STATUSES, ROUTES, SOURCE_CATEGORY_ORIGINS


class Display(NamedTuple):
    name: str
    description: str = ""
    examples: str = ""


SOURCE_CATEGORY_DISPLAY: dict[str, Display] = {
    "human-msc-adipose": Display(
        "Human MSC — adipose tissue",
        "Mesenchymal stem/stromal cells taken from human fat (lipoaspirate), grown in culture.",
        "Adipose-derived stem cell (ADSC) exosomes, lipoaspirate conditioned media",
    ),
    "human-msc-bone-marrow": Display(
        "Human MSC — bone marrow",
        "Mesenchymal stem/stromal cells from human bone marrow, grown in culture.",
        "BM-MSC exosomes",
    ),
    "human-msc-umbilical-cord": Display(
        "Human MSC — umbilical cord / Wharton's jelly",
        "Mesenchymal stem/stromal cells from umbilical cord tissue or Wharton's jelly.",
        "UC-MSC exosomes, Wharton's jelly secretome",
    ),
    "human-placental-amniotic": Display(
        "Human placental or amniotic tissue",
        "Placenta, amniotic membrane or fluid, or cord blood collected after birth. Human "
        "tissue: consent, donor screening and tissue licensing apply.",
        "Amniotic fluid exosomes, placental extract, cord blood",
    ),
    "human-platelet": Display(
        "Human platelets or blood (donated, pooled)",
        "Allogeneic platelets or blood from donors, often pooled — not the patient's own.",
        "Pooled platelet lysate, donor plasma exosomes",
    ),
    "human-other": Display(
        "Other human cells",
        "Other human cells or their conditioned media: fibroblasts, keratinocytes, iPSC.",
        "Human fibroblast conditioned media, keratinocyte exosomes",
    ),
    "autologous-prp": Display(
        "Autologous PRP / the patient's own blood",
        "The patient's own platelet-rich plasma or blood, prepared at the point of care in "
        "the same procedure.",
        "PRP, PRF, point-of-care exosome isolation kits",
    ),
    "plant": Display(
        "Plant-derived exosome-like vesicles",
        "Vesicles from plants or plant cell culture.",
        "Green tea, aloe, ginseng, rose, centella",
    ),
    "animal": Display(
        "Animal-derived", "Vesicles from animal material.", "Bovine milk or colostrum, salmon"
    ),
    "microbial": Display(
        "Microbial (bacteria or yeast)",
        "Vesicles from bacteria or yeast, or ferment lysates.",
        "Lactobacillus ferment lysate, yeast vesicles",
    ),
    "synthetic": Display(
        "Synthetic or liposomal",
        "Synthetic or liposomal carriers sold as “exosome-like”.",
        "Liposomes, nanosomes, biomimetic vesicles",
    ),
    "unknown": Display(
        "Unknown — the supplier cannot or will not say",
        "The supplier has not disclosed the origin.",
    ),
}

CELL_STATUS_DISPLAY: dict[str, Display] = {
    "live-cell": Display("Live cells", "The product contains living cells."),
    "cell-free": Display(
        "Cell-free (isolated vesicles)",
        "Vesicles isolated from the culture; no cells in the product.",
    ),
    "post-culture-processed": Display(
        "Processed post-cell culture",
        "Conditioned medium, secretome or lyophilised culture product.",
    ),
    "unknown": Display("Unknown", "The supplier cannot or will not say."),
}

ROUTE_DISPLAY: dict[str, Display] = {
    "topical-intact-skin": Display(
        "Topical, on intact skin", "Applied to the skin's surface as a serum, cream or mask."
    ),
    "topical-compromised-skin": Display(
        "Topical, on compromised skin",
        "Applied during or after microneedling, laser or a peel, when the skin barrier is open.",
    ),
    "injection": Display(
        "Injection",
        "Injected into or under the skin (including mesotherapy and skin boosters by needle).",
    ),
}

# Where jurisdictions name a document differently the reference row gets a neutral label, so
# a name shown outside a jurisdiction's context (an audit trail, the admin) never implies the
# wrong law. Pages, PDFs and exports name documents from catalogue_for(jurisdiction).
_NEUTRAL_NAMES = {
    "cpsr": "Cosmetic safety assessment (CPSR or safety substantiation)",
    "scpn-notification": "Cosmetic product notification (SCPN, CPNP or FDA listing)",
    "marketing-authorisation": "Marketing or clinical-trial authorisation (or IND/BLA)",
    "device-conformity": "Device conformity (UKCA/CE marking or FDA clearance)",
}
EVIDENCE_DISPLAY: dict[str, Display] = {
    slug: Display(
        _NEUTRAL_NAMES.get(slug, info.name), info.proves[:1].upper() + info.proves[1:] + "."
    )
    for slug, info in EVIDENCE_CATALOGUE.items()
}

# A module-level guarantee: the display tables cover exactly the rules' slugs.
assert set(SOURCE_CATEGORY_DISPLAY) == set(SOURCE_CATEGORY_ORIGINS)
assert set(CELL_STATUS_DISPLAY) == set(CELL_STATUSES)
assert set(ROUTE_DISPLAY) == set(ROUTES)
