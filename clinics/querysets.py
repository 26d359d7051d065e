"""Tenancy by construction: every clinic-owned model's QuerySet starts from this one."""

from django.db import models


class ClinicOwnedQuerySet(models.QuerySet):
    """Rows that belong to one clinic. Views fetch clinic-owned objects only through
    `for_clinic(request.clinic)`, so another clinic's object is a 404, never a leak."""

    def for_clinic(self, clinic):
        return self.filter(clinic=clinic)
