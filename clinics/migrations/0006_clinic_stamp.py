"""`ClinicStamp` takes over the table lifecycle migration 0004 created with its triggers
(`lifecycle_registerstamp`): only Django's state changes here, nothing in the database."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clinics", "0005_clinic_history"),
        ("lifecycle", "0004_register_stamp"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ClinicStamp",
                    fields=[
                        ("clinic_id", models.BigIntegerField(primary_key=True, serialize=False)),
                        ("stamp", models.CharField(max_length=36)),
                    ],
                    options={"db_table": "lifecycle_registerstamp"},
                ),
            ],
            database_operations=[],
        ),
    ]
