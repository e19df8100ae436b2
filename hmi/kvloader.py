"""Load each .kv file once, from next to the module that owns it."""

from __future__ import annotations

import logging
from pathlib import Path

LOG = logging.getLogger(__name__)
_loaded: set[Path] = set()


def load_kv_beside(module_file: str) -> None:
    """Load `<module>.kv` that sits next to `module_file`, the first time only."""
    from kivy.lang import Builder

    path = Path(module_file).with_suffix(".kv").resolve()
    if path in _loaded:
        return
    Builder.load_file(str(path))
    _loaded.add(path)
    LOG.debug("loaded %s", path)
