"""Tests of the vehicle physics model, scenarios and rated figures."""
