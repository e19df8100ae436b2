"""Simulated vehicle for the cabin HMI prototype: physics model, scenarios and the adapters
built on them."""
