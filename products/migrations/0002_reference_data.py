"""Formerly loaded the reference data from lists of its own.

The vocabulary now has one definition, the rules package (assessments/rules/values.py,
evidence.py, vocabulary.py); assessments/reference.py creates any missing row after every
migrate, and a system check refuses to start when the database and the rules disagree.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("products", "0001_initial")]
    operations = []
