"""The register stamp became every page's clinic stamp (`clinics.ClinicStamp`): only
Django's state moves; the table, its rows and the triggers that write it stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("lifecycle", "0004_register_stamp"),
        ("clinics", "0006_clinic_stamp"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RegisterStamp")],
            database_operations=[],
        ),
    ]
