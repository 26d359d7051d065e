"""Forms of the assessment questionnaire: starting one, its steps, and its evidence."""

from assessments.forms.evidence import EvidenceItemForm
from assessments.forms.start import StartAssessmentForm
from assessments.forms.steps import (
    CellStatusStepForm,
    ProductStepForm,
    ReviewStepForm,
    SourceStepForm,
    TestingStepForm,
)

__all__ = [
    "CellStatusStepForm",
    "EvidenceItemForm",
    "ProductStepForm",
    "ReviewStepForm",
    "SourceStepForm",
    "StartAssessmentForm",
    "TestingStepForm",
]
