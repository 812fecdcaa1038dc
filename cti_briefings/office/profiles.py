"""LibreOffice profiles kept between builds, one per running LibreOffice, locked while in use.

A slot is a profile folder (settings LibreOffice creates on its first start, which costs a few
seconds, so it is kept) and a scratch folder (LibreOffice's TMPDIR and log) that is emptied when
the slot is taken and removed when it is released: whatever a killed LibreOffice left behind
is gone by the next build, and nothing of a build is ever written to the system's temporary
folder. Every profile is hardened before each start (see HARDENING).
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

PROFILE_SLOTS = 16
OOR = "http://openoffice.org/2001/registry"

# The second wall behind template sanitising: whatever a document names, LibreOffice must not
# fetch it. (path, property, value) in LibreOffice's configuration.
HARDENING: tuple[tuple[str, str, str], ...] = (
    # Linked pictures, OLE links and other external references are not loaded for documents
    # outside trusted locations (none are configured): no file and no address is ever read.
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    # No macros at all: the highest security level, and macro execution switched off.
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "true"),
    # Links are never updated on load (Writer: 0 = never; Calc, for embedded sheets: 1 = never).
    ("/org.openoffice.Office.Writer/Content/Update", "Link", "0"),
    ("/org.openoffice.Office.Calc/Content/Update", "Link", "1"),
)


@dataclass(frozen=True)
class ProfileSlot:
    """A profile folder and a scratch folder that one LibreOffice has to itself."""

    profile: Path
    scratch: Path


def cache_dir() -> Path:
    """Folder for LibreOffice profiles kept between builds."""
    configured = os.environ.get("CTI_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "cti-briefings"


@contextmanager
def profile_slot() -> Iterator[ProfileSlot]:
    """Hold, for the duration, a hardened profile and an empty scratch folder no other LibreOffice uses."""
    base = cache_dir()
    base.mkdir(parents=True, exist_ok=True)
    with _locked_slot(base) as slot:
        shutil.rmtree(slot.scratch, ignore_errors=True)  # left by a build that was killed
        (slot.scratch / "tmp").mkdir(parents=True)
        try:
            harden_profile(slot.profile)
            yield slot
        finally:
            shutil.rmtree(slot.scratch, ignore_errors=True)


@contextmanager
def _locked_slot(base: Path) -> Iterator[ProfileSlot]:
    for number in range(PROFILE_SLOTS):
        with open(base / f"libreoffice-profile-{number}.lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            yield _slot(base, number)
            return
    with open(base / "libreoffice-profile-0.lock", "w") as lock:
        log.info("all LibreOffice profiles are in use; waiting for one")
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield _slot(base, 0)


def _slot(base: Path, number: int) -> ProfileSlot:
    return ProfileSlot(base / f"libreoffice-profile-{number}", base / f"libreoffice-scratch-{number}")


def harden_profile(profile: Path) -> None:
    """Make sure the profile carries every HARDENING setting; write it only when one is missing."""
    settings = profile / "user" / "registrymodifications.xcu"
    ET.register_namespace("oor", OOR)
    ET.register_namespace("xs", "http://www.w3.org/2001/XMLSchema")
    ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")
    root = None
    if settings.is_file():
        try:
            root = ET.parse(settings).getroot()
        except ET.ParseError:
            log.warning("the LibreOffice profile %s was damaged; starting a fresh one", profile)
            shutil.rmtree(profile, ignore_errors=True)
    if root is None:
        root = ET.Element(f"{{{OOR}}}items")
    wanted = {(path, name): value for path, name, value in HARDENING}
    present = {}
    for item in root.findall("item"):
        prop = item.find("prop")
        if prop is not None and (item.get(f"{{{OOR}}}path"), prop.get(f"{{{OOR}}}name")) in wanted:
            present[(item.get(f"{{{OOR}}}path"), prop.get(f"{{{OOR}}}name"))] = (item, prop.findtext("value"))
    if all(key in present and present[key][1] == value for key, value in wanted.items()):
        return
    for item, _ in present.values():
        root.remove(item)
    for (path, name), value in wanted.items():
        item = ET.SubElement(root, "item", {f"{{{OOR}}}path": path})
        prop = ET.SubElement(item, "prop", {f"{{{OOR}}}name": name, f"{{{OOR}}}op": "fuse"})
        ET.SubElement(prop, "value").text = value
    settings.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".registrymodifications.", dir=settings.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            ET.ElementTree(root).write(stream, encoding="UTF-8", xml_declaration=True)
        os.replace(temporary, settings)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
