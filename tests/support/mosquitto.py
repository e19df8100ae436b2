"""The Mosquitto helper the tests use (it lives in hmi.testbench for the plugin and bench)."""

from hmi.testbench.mosquitto import MosquittoBroker, free_port, wait_for_port

__all__ = ["MosquittoBroker", "free_port", "wait_for_port"]
