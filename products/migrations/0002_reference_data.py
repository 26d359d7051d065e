"""Load the reference data of the domain brief (shared/domain.md §2).

Slugs are stable identifiers that the rules and stored assessments rely on; names and
descriptions are the admins' to edit afterwards. Re-running only adds what is missing.
"""

from django.db import migrations

SOURCE_CATEGORIES = [
    ("human-msc-adipose", "Human MSC — adipose tissue", "human",
     "Mesenchymal stem/stromal cells taken from human fat (lipoaspirate), grown in culture.",
     "Adipose-derived stem cell (ADSC) exosomes, lipoaspirate conditioned media"),
    ("human-msc-bone-marrow", "Human MSC — bone marrow", "human",
     "Mesenchymal stem/stromal cells from human bone marrow, grown in culture.",
     "BM-MSC exosomes"),
    ("human-msc-umbilical-cord", "Human MSC — umbilical cord / Wharton's jelly", "human",
     "Mesenchymal stem/stromal cells from umbilical cord tissue or Wharton's jelly.",
     "UC-MSC exosomes, Wharton's jelly secretome"),
    ("human-placental-amniotic", "Human placental or amniotic tissue", "human",
     "Placenta, amniotic membrane or fluid, or cord blood collected after birth. "
     "Human tissue: consent, donor screening and HTA licensing apply.",
     "Amniotic fluid exosomes, placental extract, cord blood"),
    ("human-platelet", "Human platelets or blood (donated, pooled)", "human",
     "Allogeneic platelets or blood from donors, often pooled — not the patient's own.",
     "Pooled platelet lysate, donor plasma exosomes"),
    ("human-other", "Other human cells", "human",
     "Other human cells or their conditioned media: fibroblasts, keratinocytes, iPSC.",
     "Human fibroblast conditioned media, keratinocyte exosomes"),
    ("autologous-prp", "Autologous PRP / the patient's own blood", "autologous",
     "The patient's own platelet-rich plasma or blood, prepared at the point of care "
     "in the same procedure.",
     "PRP, PRF, point-of-care exosome isolation kits"),
    ("plant", "Plant-derived exosome-like vesicles", "plant",
     "Vesicles from plants or plant cell culture.",
     "Green tea, aloe, ginseng, rose, centella"),
    ("animal", "Animal-derived", "animal",
     "Vesicles from animal material.",
     "Bovine milk or colostrum, salmon, porcine"),
    ("microbial", "Microbial (bacteria or yeast)", "microbial",
     "Vesicles from bacteria or yeast, or ferment lysates.",
     "Lactobacillus ferment lysate, yeast vesicles"),
    ("synthetic", "Synthetic or liposomal", "synthetic",
     "Synthetic or liposomal carriers sold as \"exosome-like\".",
     "Liposomes, nanosomes, biomimetic vesicles"),
    ("unknown", "Unknown — the supplier cannot or will not say", "unknown",
     "The supplier has not disclosed the origin.",
     ""),
]

CELL_STATUSES = [
    ("live-cell", "Live cells",
     "The product contains living cells."),
    ("cell-free", "Cell-free (isolated vesicles)",
     "Vesicles isolated from the culture; no cells in the product."),
    ("post-culture-processed", "Processed post-cell culture",
     "Conditioned medium, secretome or lyophilised culture product."),
    ("unknown", "Unknown",
     "The supplier cannot or will not say."),
]

ROUTES = [
    ("topical-intact-skin", "Topical, on intact skin",
     "Applied to the skin's surface as a serum, cream or mask."),
    ("topical-compromised-skin", "Topical, on compromised skin",
     "Applied during or after microneedling, laser or a peel, when the skin barrier is open."),
    ("injection", "Injection",
     "Injected into or under the skin (including mesotherapy and skin boosters by needle)."),
]

EVIDENCE_TYPES = [
    ("certificate-of-analysis", "Certificate of analysis (CoA)",
     "Specifications and results for the lot supplied.", "GMP; ISO/IEC 17025 lab preferred", True),
    ("gmp-certificate", "GMP certificate",
     "The manufacturing site works to good manufacturing practice; must be in date.",
     "ISO 22716 (cosmetics, Art. 8); UK/EU GMP (medicines)", False),
    ("origin-declaration", "Declaration of origin",
     "Signed statement of species / plant / strain and tissue; no cells, tissues or products of "
     "human origin (culture media included); no Category 1/2 animal by-products.",
     "Annex II entries 416, 419", False),
    ("ev-characterisation", "EV characterisation",
     "Particle concentration and size distribution (NTA or similar) with protein content.",
     "MISEV2023", False),
    ("ev-markers", "EV marker panel",
     "At least one transmembrane (CD9/CD63/CD81) and one cytosolic (TSG101/ALIX) marker plus a "
     "negative marker; for plant EVs a plant-EV framework.", "MISEV2023", False),
    ("cpsr", "Cosmetic Product Safety Report (CPSR)",
     "Safety assessment signed by a qualified safety assessor, covering the intended use.",
     "UK Cosmetics Reg. Art. 10, Annex I", False),
    ("scpn-notification", "SCPN notification",
     "The product is notified on the GB Submit Cosmetic Product Notification portal, naming a GB "
     "Responsible Person.", "UK Cosmetics Reg. Art. 4, 13", False),
    ("microbial-limits", "Microbiological limits",
     "Microbiological quality of the finished product.", "ISO 17516", False),
    ("preservative-efficacy", "Preservative efficacy (challenge test)",
     "Challenge test, or a single-use / sterile justification.", "ISO 11930 / ISO 29621", False),
    ("stability", "Stability / shelf life",
     "Shelf life and stability after reconstitution.", "ISO/TR 18811; ICH Q5C", False),
    ("sterility", "Sterility test",
     "Sterility test for the lot.", "Ph. Eur. 2.6.1 / USP <71>", True),
    ("endotoxin", "Bacterial endotoxins",
     "Endotoxin result for the lot, numeric, against a limit.", "Ph. Eur. 2.6.14 / USP <85>", True),
    ("mycoplasma", "Mycoplasma test",
     "Mycoplasma testing of the cell bank or harvest.", "Ph. Eur. 2.6.7", False),
    ("donor-screening", "Donor consent and screening",
     "Donor consent and virology (HIV-1/2, HBV, HCV, syphilis, HTLV).",
     "HT(QSHA) Regs 2007; Dir. 2006/17/EC; 21 CFR 1271 C", False),
    ("marketing-authorisation", "Marketing or clinical-trial authorisation",
     "An MHRA marketing authorisation or clinical-trial authorisation number.",
     "HMR 2012 reg. 46", False),
    ("device-conformity", "Device conformity (UKCA/CE)",
     "UKCA or CE marking of the preparation kit.", "UK MDR 2002", False),
]


def load(apps, schema_editor):
    SourceCategory = apps.get_model("products", "SourceCategory")
    CellStatus = apps.get_model("products", "CellStatus")
    Route = apps.get_model("products", "Route")
    EvidenceType = apps.get_model("products", "EvidenceType")
    for order, (slug, name, origin, description, examples) in enumerate(SOURCE_CATEGORIES):
        SourceCategory.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "origin_kind": origin, "description": description,
                      "examples": examples, "display_order": (order + 1) * 10},
        )
    for order, (slug, name, description) in enumerate(CELL_STATUSES):
        CellStatus.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "display_order": (order + 1) * 10},
        )
    for order, (slug, name, description) in enumerate(ROUTES):
        Route.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "display_order": (order + 1) * 10},
        )
    for order, (slug, name, proves, standard, lot_specific) in enumerate(EVIDENCE_TYPES):
        EvidenceType.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "proves": proves, "description": proves,
                      "reference_standard": standard,
                      "lot_specific": lot_specific, "display_order": (order + 1) * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("products", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
