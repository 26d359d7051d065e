# The form's new choice ("Not stated") and default are Python-side only: Django writes the
# default itself and the column has no CHECK for choices. So the change is made to the
# migration state alone. A database AlterField would make SQLite rebuild the products table,
# which drops the stamp triggers earlier migrations put on it (lifecycle 0006), and kept
# pages would no longer notice a renamed product.

from django.db import migrations, models

CHOICES = [
    ("serum", "Topical serum"),
    ("skin_booster", "Skin booster (with microneedling / laser)"),
    ("injectable", "Injectable"),
    ("lyophilised", "Lyophilised powder for reconstitution"),
    ("mask", "Mask / cream"),
    ("kit", "Point-of-care preparation kit"),
    ("other", "Other"),
    ("unknown", "Not stated"),
]


def form_field():
    return models.CharField(choices=CHOICES, default="unknown", max_length=20)


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0006_list_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(model_name="exosomeproduct", name="form", field=form_field()),
                migrations.AlterField(
                    model_name="historicalexosomeproduct", name="form", field=form_field()
                ),
            ],
            database_operations=[],
        ),
    ]
