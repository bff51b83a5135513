"""The door between the screens and everything below them: the station (its records, policy and
bench), the claim carried from step to step, and its diagnosis (workbench/door/case_flow.py first)."""
