"""The ema-inject tests use the same fixtures a user gets from the plugin.

A user's root conftest.py says `pytest_plugins = ["hmi.testbench.pytest_plugin"]`; pytest only
allows that in the root conftest, so this sub-folder imports the fixtures instead.
"""

from hmi.testbench.pytest_plugin import (  # noqa: F401
    ema_broker,
    ema_hmi,
    ema_hmi_factory,
    ema_injector,
    ema_language,
)
