"""The problem+json shape every operation documents for its error statuses."""

from ninja import Schema


class FieldError(Schema):
    field: str
    detail: str


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


READ_ERRORS = {frozenset({401, 403, 404, 422, 429}): Problem}
WRITE_ERRORS = {frozenset({401, 403, 404, 409, 422, 429}): Problem}
