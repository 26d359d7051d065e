"""Give the evidence types the labels of the rules' vocabulary where a row still has the
label first loaded (UK-specific names such as "SCPN notification" read wrongly in an EU or
US clinic's audit trail). Labels an admin has changed are left alone."""

from django.db import migrations

RENAMES = {
    # slug: (label first loaded, new neutral label)
    "cpsr": (
        "Cosmetic Product Safety Report (CPSR)",
        "Cosmetic safety assessment (CPSR or safety substantiation)",
    ),
    "scpn-notification": (
        "SCPN notification",
        "Cosmetic product notification (SCPN, CPNP or FDA listing)",
    ),
    "marketing-authorisation": (
        "Marketing or clinical-trial authorisation",
        "Marketing or clinical-trial authorisation (or IND/BLA)",
    ),
    "device-conformity": (
        "Device conformity (UKCA/CE)",
        "Device conformity (UKCA/CE marking or FDA clearance)",
    ),
}


def rename(apps, schema_editor):
    EvidenceType = apps.get_model("products", "EvidenceType")
    for slug, (old, new) in RENAMES.items():
        EvidenceType.objects.filter(slug=slug, name=old).update(name=new)


class Migration(migrations.Migration):
    dependencies = [("products", "0003_reference_meaning_lives_in_the_rules")]
    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
