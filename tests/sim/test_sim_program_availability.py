"""Every reason a program's request can be refused for is a value of the catalogue's
ProgramAvailability (one vocabulary with the refusals), and the vehicle publishes it."""

from __future__ import annotations

from protocols import load_catalogue
from vehicle_sim.model import PROGRAM_RULES


def test_every_program_rule_has_an_availability_value_and_a_result_reason() -> None:
    catalogue = load_catalogue()
    values = set(catalogue.enum_values("ProgramAvailability"))
    for rule in PROGRAM_RULES:
        assert rule.code.upper() in values, rule.code
        assert rule.code in catalogue.result_reasons, rule.code
    assert {v.lower() for v in values - {"AVAILABLE"}} <= set(catalogue.result_reasons)
