"""`ema-sim spec --config`, `ema-sim configs` and a bad --config, run in process."""

from __future__ import annotations

import json

import pytest

from vehicle_sim.cli import main
from vehicle_sim.model import list_configurations
from vehicle_sim.model.units import METRES_PER_MILE


def test_configs_lists_the_shipped_ones(capsys):
    assert main(["configs"]) == 0
    assert capsys.readouterr().out.split() == list_configurations()


def test_spec_json_reports_the_range_and_its_breakdown(capsys):
    assert main(["spec", "--json", "--config", "road"]) == 0
    summary = json.loads(capsys.readouterr().out)
    rng = summary["range"]
    assert summary["configuration"]["wheels"] == "ROAD_22"
    assert summary["usable_energy_kWh"] == 90.0
    assert rng["rated_range_miles"] == pytest.approx(rng["rated_range_m"] / METRES_PER_MILE)
    assert rng["rated_range_m"] == summary["rated_range_m"]
    wheels = rng["options"]["Wheels"]
    assert wheels["is_fitted"] and (wheels["choice"], wheels["base"]) == ("ROAD_22", "STANDARD_20")
    assert wheels["cost_m"] == pytest.approx(rng["unoptioned_range_m"] - rng["rated_range_m"])
    assert rng["options"]["RoofRack"] == {"choice": "NONE", "base": "NONE", "is_fitted": False,
                                          "cost_m": 0.0, "cost_miles": 0.0}
    assert rng["interaction_m"] == pytest.approx(0.0, abs=1e-6)


def test_spec_text_names_each_fitted_options_cost(capsys):
    assert main(["spec", "--config", "road"]) == 0
    text = capsys.readouterr().out
    assert "rated range:" in text and "Wheels (ROAD_22): costs" in text


def test_a_bad_config_file_is_a_usage_error_listing_its_problems(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\npack_kWh = 100\npaint = "PINK"\n')
    with pytest.raises(SystemExit) as exited:
        main(["spec", "--config", str(bad)])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "pack_kWh: 100 is not a pack" in err and "'PINK' is not a Paint" in err
    assert "missing key 'wheels'" in err
