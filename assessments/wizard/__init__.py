"""The questionnaire: one step table (assessments/steps.py), one set of navigation helpers
(navigation.py) every step handler uses, and the handlers (views.py, documents.py)."""
