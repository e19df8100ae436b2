"""The Mosquitto helper the tests use (it lives in protocols.tools for the plugin and bench)."""

from protocols.tools.mosquitto import MosquittoBroker, free_port, wait_for_port

__all__ = ["MosquittoBroker", "free_port", "wait_for_port"]
