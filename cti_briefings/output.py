"""Guarded writes: outputs appear whole or not at all, and only inside the build folder."""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError, display_path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def safe_join(root: Path, name: str) -> Path:
    """Return root/name, refusing a name that would leave `root`."""
    candidate = (root / name).resolve()
    if candidate.parent != root.resolve() or not name or name.startswith("."):
        raise OutputError(f"refusing to write '{name}' outside {display_path(root)}")
    return candidate


def write_atomically(path: Path, data: bytes) -> Path:
    """Write `data` to `path` through a temporary file, so no half-written file is ever seen."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{display_path(path)}: cannot be written: {_reason(exc)}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes files private; outputs are shared
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"{display_path(path)}: cannot be written: {_reason(exc)}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _reason(exc: OSError) -> str:
    """Say what went wrong, and what to do, in a user's words."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full (free some space, then build again; earlier packs are unchanged)"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied (ask for write access to the build folder, or build with --root in a folder of your own)"
    return exc.strerror or exc.__class__.__name__


@contextmanager
def staged_folder(final: Path) -> Iterator[Path]:
    """Yield an empty folder beside `final` that replaces `final` whole if the block succeeds.

    On failure the staging folder is removed and `final`, the last good build, is untouched.
    """
    if final.is_symlink() or (final.exists() and not final.is_dir()):
        what = "a link" if final.is_symlink() else "a file"
        raise OutputError(f"{display_path(final)}: is {what}, where the build puts a folder of outputs (move or delete it, then build again)")
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        _remove_debris(final)
        staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.new-", dir=final.parent))
        os.chmod(staging, 0o777 & ~_umask())
    except OSError as exc:
        raise OutputError(f"cannot write in {display_path(final.parent)}: {_reason(exc)}") from None
    try:
        yield staging
    except OutputError as error:
        shutil.rmtree(staging, ignore_errors=True)
        # Name the file as the user will look for it, not by the staging folder's random name.
        raise OutputError(error.message.replace(display_path(staging), display_path(final))) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _replace_folder(staging, final)


def _remove_debris(final: Path) -> None:
    """Remove earlier packs retired by a build that stopped before deleting them."""
    for retired in final.parent.glob(f".{final.name}.old-*"):
        if retired.is_dir() and not retired.is_symlink():
            shutil.rmtree(retired, ignore_errors=True)
        else:
            retired.unlink(missing_ok=True)


def _replace_folder(staging: Path, final: Path) -> None:
    retired = final.with_name(f".{final.name}.old-{secrets.token_hex(4)}")
    try:
        if final.exists():
            os.rename(final, retired)
        os.rename(staging, final)
    except OSError as exc:
        if retired.exists() and not final.exists():
            os.rename(retired, final)
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"cannot replace {display_path(final)}: {_reason(exc)} (is a file in it open in another program?)") from None
    shutil.rmtree(retired, ignore_errors=True)
