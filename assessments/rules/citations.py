"""Every legal and technical citation the rules give, in one table (as of November 2026).

Rules refer to these names so that a citation is corrected once, everywhere it is shown.
A citation that changes on a known day has one name per period (the *_SOHO ones below); the
jurisdiction's Amendment (dated.py, eu.py) says from which day each applies.
"""

from datetime import date

# The SoHO Regulation (EU) 2024/1938 applies from this day and replaces Directives 2004/23/EC
# and 2002/98/EC; until the day before, Directive 2004/23/EC governs human starting material.
SOHO_APPLIES = date(2027, 8, 7)

# --- United Kingdom (Great Britain) -------------------------------------------------------
UK_COSMETICS_REG = (
    "UK Cosmetics Regulation (Reg. (EC) 1223/2009 as retained by the Product Safety and "
    "Metrology etc. (EU Exit) Regulations 2019, Sch. 34)"
)
UK_ANNEX_II_416 = (
    f"{UK_COSMETICS_REG} Annex II entry 416; DBT statement (2025) that human-derived exosomes "
    "are banned in cosmetics"
)
UK_ANNEX_II_416_COSING = f"{UK_COSMETICS_REG} Annex II entry 416 (CosIng links these names to 416)"
UK_ANNEX_II_419 = f"{UK_COSMETICS_REG} Annex II entry 419"
UK_HMR_FUNCTION = "Human Medicines Regulations 2012 reg. 2 (function limb), reg. 46"
UK_HMR_PRESENTATION = (
    "Human Medicines Regulations 2012 reg. 2 (presentation limb); MHRA guidance on "
    "borderline products"
)
UK_HMR_ATMP = "Human Medicines Regulations 2012 reg. 2A; HT(QSHA) Regulations 2007"
UK_HUMAN_TISSUE = (
    "Human Tissue Act 2004; Human Tissue (Quality and Safety for Human Application) "
    "Regulations 2007 (SI 2007/1523); HTA list: amniotic membrane covered"
)
UK_INJECTION = (
    "UK Cosmetics Regulation Art. 2(1)(a) (external parts of the body); Human Medicines "
    "Regulations 2012 reg. 46"
)
UK_COMPROMISED = "UK Cosmetics Regulation Art. 3, 10"
UK_PLANT = "UK Cosmetics Regulation Art. 4, 8, 10, 13"
UK_MICROBIAL = "UK Cosmetics Regulation Art. 3"
UK_SYNTHETIC = "Reg. (EU) 655/2013 common criteria for cosmetic claims (retained)"
UK_AUTOLOGOUS = (
    "Human Medicines Regulations 2012 reg. 2(2) (blood components excluded); Dir. 2004/23/EC "
    "Art. 2 (autologous use in the same procedure excluded); UK MDR 2002 (kit marking)"
)

# --- European Union --------------------------------------------------------------------------
EU_COSMETICS_REG = "Cosmetics Regulation (EC) 1223/2009"
EU_ANNEX_II_416 = f"{EU_COSMETICS_REG} Annex II entry 416"
EU_ANNEX_II_416_COSING = f"{EU_ANNEX_II_416} (CosIng links these names to 416)"
EU_ANNEX_II_419 = f"{EU_COSMETICS_REG} Annex II entry 419; Reg. (EC) 1069/2009 (animal by-products)"
# Human starting material: Directive 2004/23/EC until 6 Aug 2027, the SoHO Regulation after.
EU_MEDICINE = "Dir. 2001/83/EC Art. 1(2), Art. 6; Dir. 2004/23/EC for human starting material"
EU_MEDICINE_SOHO = (
    "Dir. 2001/83/EC Art. 1(2), Art. 6; SoHO Regulation (EU) 2024/1938 for human starting material"
)
EU_PRESENTATION = "Dir. 2001/83/EC Art. 1(2)(a) (medicinal product by presentation)"
EU_ATMP = (
    "Reg. (EC) 1394/2007 (ATMPs); EMA/CAT 2025 guidance: unmodified EVs are not ATMPs, "
    "live cells are"
)
EU_HUMAN_TISSUE = "Dir. 2004/23/EC and Dir. 2006/17/EC (donation, procurement, testing)"
EU_HUMAN_TISSUE_SOHO = (
    "SoHO Regulation (EU) 2024/1938 (donation, collection, testing and processing of "
    "substances of human origin)"
)
EU_INJECTION = (
    f"{EU_COSMETICS_REG} Art. 2(1)(a) (external parts of the body); Dir. 2001/83/EC Art. 6"
)
EU_COMPROMISED = f"{EU_COSMETICS_REG} Art. 3, 10"
EU_PLANT = f"{EU_COSMETICS_REG} Art. 4, 8, 10, 13"
EU_MICROBIAL = f"{EU_COSMETICS_REG} Art. 3"
EU_SYNTHETIC = "Reg. (EU) 655/2013 common criteria for cosmetic claims"
EU_AUTOLOGOUS = (
    "Dir. 2001/83/EC Art. 3(6) (blood and blood cells excluded); Dir. 2004/23/EC Art. 2(2)(a) "
    "(autologous use in the same procedure excluded); Reg. (EU) 2017/745 (kit marking)"
)
# No article number: ExoCheck has not yet read where the Regulation places the same-procedure
# exclusion, and a wrong pinpoint is worse than none (docs/domain.md §9).
EU_AUTOLOGOUS_SOHO = (
    "Dir. 2001/83/EC Art. 3(6) (blood and blood cells excluded); SoHO Regulation (EU) "
    "2024/1938 (scope for autologous use in the same procedure); Reg. (EU) 2017/745 (kit "
    "marking)"
)
# The donor-screening standard in the evidence catalogue (evidence.py), likewise dated.
EU_DONOR_SCREENING = "Dir. 2004/23/EC; Dir. 2006/17/EC"
EU_DONOR_SCREENING_SOHO = "SoHO Regulation (EU) 2024/1938 (donor eligibility and testing)"

# --- United States ---------------------------------------------------------------------------
US_FDA_2019 = (
    "FDA Public Safety Notification on exosome products (6 Dec 2019); PHS Act s. 351; "
    "FD&C Act s. 201(g), 505"
)
US_HCTP = (
    "21 CFR 1271.10(a) (HCT/P criteria); PHS Act s. 351; FDA warning letters to Kimera Labs "
    "(2023) and Evolutionary Biologics (2024)"
)
US_INJECTION = f"{US_FDA_2019}; 21 CFR 312 (IND), 21 CFR 601 (BLA)"
US_HUMAN_COSMETIC = (
    "FD&C Act s. 201(i) (cosmetic definition); Modernization of Cosmetics Regulation Act 2022 "
    "(MoCRA), FD&C Act s. 605-608"
)
US_DRUG_CLAIMS = (
    "FD&C Act s. 201(g)(1)(B)-(C) (intended use: disease or structure/function claims make a "
    "drug); FDA Public Safety Notification on exosome products (6 Dec 2019)"
)
US_COMPOSITION = "FD&C Act s. 602 (misbranded cosmetics); 21 CFR 701.3 (ingredient labelling)"
US_COMPROMISED = "FD&C Act s. 201(i) (cosmetic: applied to the body for beautifying)"
US_PLANT = "FD&C Act s. 201(i); MoCRA (FD&C Act s. 605-608)"
US_ANIMAL = "21 CFR 700.27 (prohibited cattle materials in cosmetics)"
US_MICROBIAL = "FD&C Act s. 601 (adulterated cosmetics)"
US_SYNTHETIC = "FD&C Act s. 602 (misbranding: false or misleading labelling); FTC Act s. 5"
US_AUTOLOGOUS = (
    "21 CFR 1271.15(b) (same surgical procedure exception); 21 CFR 807 (510(k) clearance "
    "of the kit)"
)

# --- Not law: the due-diligence questions themselves ------------------------------------------
DUE_DILIGENCE_Q1 = "ExoCheck supplier question Q1 (source); the origin decides which law applies"
DUE_DILIGENCE_Q2 = "ExoCheck supplier question Q2 (cell status); decides tissue/ATMP law and risk"
DUE_DILIGENCE_ROUTE = "ExoCheck clinic question (route); decides cosmetic or medicinal use"
EVIDENCE_DATES = "ExoCheck evidence rule: a document past its expiry date counts as missing"
EVIDENCE_LOTS = (
    "ExoCheck evidence rule: a certificate of analysis, sterility or endotoxin result counts "
    "only for the lot it names"
)
EVIDENCE_UNVERIFIED = (
    "ExoCheck evidence rule: a document counts only once its reader has recorded its issue "
    "date and, for a test report, its result (ALCOA+: attributable, legible, accurate)"
)
