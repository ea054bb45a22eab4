"""The case page's forms. ``core``: contacts, re-categorisation, the contact plan and reassignment;
each other module here holds one part of the workspace's forms (issue 5)."""

from haven.cases.forms.core import (
    ContactForm,
    ContactPlanForm,
    ReassignForm,
    RecategoriseForm,
)

__all__ = [
    "ContactForm",
    "ContactPlanForm",
    "ReassignForm",
    "RecategoriseForm",
]
