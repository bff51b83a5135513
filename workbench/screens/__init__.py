"""One screen per step of a claim, and the screens around the flow."""

from __future__ import annotations

from importlib import import_module

_STEP_SCREENS = {
    "intake": ("workbench.screens.intake", "IntakeScreen"),
    "inspection": ("workbench.screens.inspection", "InspectionScreen"),
    "smart": ("workbench.screens.smart", "SmartScreen"),
    "counterfeit": ("workbench.screens.counterfeit", "CounterfeitScreen"),
    "diagnosis": ("workbench.screens.diagnosis", "DiagnosisScreen"),
    "decision": ("workbench.screens.decision", "DecisionScreen"),
    "ticket": ("workbench.screens.ticket", "TicketScreen"),
}


def step_screen(step: str, flow):
    """The screen for `step` of the claim `flow` carries."""
    module, name = _STEP_SCREENS.get(step, _STEP_SCREENS["intake"])
    return getattr(import_module(module), name)(flow)
