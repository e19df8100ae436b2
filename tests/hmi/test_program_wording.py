"""What the Terrain screen says a program does, read as a driver reads it.

"Rear 40 : 60" was read as 40 % to the rear (it meant front 40 : rear 60), and "Even, lockers
part" said nothing a driver could act on. Every bias names both axles at their own end, and
its figures are the simulated vehicle's own."""

from __future__ import annotations

import re

import pytest

from hmi.i18n import tr
from hmi.programs import PROGRAMS, TorqueBias
from vehicle_sim.model import PROGRAM_EFFECTS, TerrainProgram

PAIR = re.compile(r"^Front (\d+) : (\d+) Rear$")


@pytest.mark.parametrize("program", sorted(PROGRAMS))
def test_a_torque_pair_names_both_axles_at_their_ends(program: str) -> None:
    effects = PROGRAMS[program].effects
    text = effects.text("torque_bias")
    if isinstance(effects.torque_bias, TorqueBias):
        assert PAIR.match(text), text
    else:
        assert not re.search(r"\d", text), f"{text!r}: a figure without its axle"


@pytest.mark.parametrize("program", sorted(PROGRAMS))
def test_a_torque_pair_is_the_vehicles_own_split(program: str) -> None:
    """VSS TorqueDistribution: -100 all front .. +100 all rear."""
    bias = PROGRAMS[program].effects.torque_bias
    if not isinstance(bias, TorqueBias):
        return
    rear = (PROGRAM_EFFECTS[TerrainProgram[program]].torque_distribution + 100.0) / 2.0
    assert (bias.front_pct, bias.rear_pct) == (round(100.0 - rear), round(rear))


def test_no_effect_claims_the_lockers_engaged() -> None:
    """The lockers are the driver's to engage (vehicle_sim engages none by itself): no
    program's text may say they are, wholly or in part."""
    texts = [PROGRAMS[p].effects.text(f) for p in PROGRAMS
             for f in ("torque_bias", "traction", "throttle", "regen", "ride_height")]
    assert [t for t in texts if "locker" in t.lower()] == []


def test_the_pair_follows_the_language() -> None:
    tr.switch("de")
    text = PROGRAMS["COMFORT"].effects.text("torque_bias")
    assert "40" in text and "60" in text
