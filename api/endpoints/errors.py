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


# The statuses of docs/api.md's error table an operation can answer (405 is a method no
# operation has; 500 is never promised). A body can be unreadable (400) or too large (413).
READ = frozenset({400, 401, 403, 404, 422, 429})
READ_ERRORS = {READ: Problem}
READ_WITH_BODY_ERRORS = {READ | {413}: Problem}
WRITE_ERRORS = {READ | {409, 413}: Problem}
