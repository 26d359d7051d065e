"""The questionnaire's steps: the one place that numbers them.

Django-free on purpose: services (where to resume, where a missing answer is given), forms
(which step they edit) and the views all read their step numbers from this table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    number: int
    key: str
    short: str  # the progress bar's label
    title: str  # the page heading

    @property
    def template(self) -> str:
        return f"assessments/wizard/step_{self.number}.html"


STEPS = (
    Step(1, "product", "Product and use", "The product, the batch and how your clinic will use it"),
    Step(2, "source", "Q1 Source", "Where are these exosomes derived from?"),
    Step(3, "cells", "Q2 Cells", "Are they live-cell, cell-free, or processed post-cell culture?"),
    Step(
        4,
        "documents",
        "Q3 Testing",
        "What testing is performed for sterility, content and consistency?",
    ),
    Step(5, "review", "Review", "Review and submit"),
)
BY_KEY = {step.key: step for step in STEPS}

FIRST_STEP = STEPS[0].number
LAST_STEP = STEPS[-1].number
PRODUCT_STEP = BY_KEY["product"].number
SOURCE_STEP = BY_KEY["source"].number
CELLS_STEP = BY_KEY["cells"].number
DOCUMENTS_STEP = BY_KEY["documents"].number
REVIEW_STEP = BY_KEY["review"].number


def step_numbered(number: int) -> Step | None:
    return STEPS[number - 1] if FIRST_STEP <= number <= LAST_STEP else None


def clamp(number: int) -> int:
    """A step number that exists (where a draft may resume)."""
    return max(FIRST_STEP, min(number, LAST_STEP))
