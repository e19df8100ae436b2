"""EMA cabin HMI: a Kivy touchscreen app fed over MQTT.

Importing this package does not import Kivy (the CLI must set Kivy's environment first).
Entry points: `hmi.cli.main` (the `ema-hmi` command) and `hmi.composition.build_hmi`.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
