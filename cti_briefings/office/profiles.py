"""LibreOffice profiles kept between builds, one per running LibreOffice, locked while in use."""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

PROFILE_SLOTS = 16


def cache_dir() -> Path:
    """Folder for LibreOffice profiles kept between builds."""
    configured = os.environ.get("CTI_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "cti-briefings"


@contextmanager
def profile_slot() -> Iterator[Path]:
    """Hold, for the duration, a LibreOffice profile folder no other build is using."""
    base = cache_dir()
    base.mkdir(parents=True, exist_ok=True)
    for slot in range(PROFILE_SLOTS):
        with open(base / f"libreoffice-profile-{slot}.lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            yield base / f"libreoffice-profile-{slot}"
            return
    with open(base / "libreoffice-profile-0.lock", "w") as lock:
        log.info("all LibreOffice profiles are in use; waiting for one")
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield base / "libreoffice-profile-0"
