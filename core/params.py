"""Reading ids from query strings and forms without ever raising a 500.

`str.isdigit()` accepts "²" and other Unicode digits that `int()` refuses, and an id of 25
digits overflows a 64-bit column: both once gave a server error.
"""

MAX_ID_DIGITS = 18  # below 2**63 - 1, the largest id a 64-bit column holds


def parse_id(value: str | None) -> int | None:
    """A positive database id from text, or None for anything else."""
    if not value or len(value) > MAX_ID_DIGITS or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number or None


def parse_ids(values) -> list[int]:
    """Every valid id among `values`, invalid ones dropped."""
    return [number for value in values if (number := parse_id(value)) is not None]
