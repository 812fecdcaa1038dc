"""Output faults: a full disk, no permission, a file or link in the way, debris from a crash."""

from __future__ import annotations

import errno
import os

import pytest
from hostile_run import LAST_PACK, assert_refused, fingerprint, plant_last_pack, run

from cti_briefings.errors import OutputError
from cti_briefings.output import staged_folder, write_atomically


def test_a_file_where_the_pack_folder_goes_is_refused_and_kept(project_root):
    (project_root / "build").mkdir()
    (project_root / "build" / "example").write_bytes(b"someone's notes")
    before = fingerprint(project_root / "build")
    assert_refused(run("build", "example"), "error: build/example: is a file, where the build puts a folder of outputs (move or delete it, then build again)")
    assert fingerprint(project_root / "build") == before  # the file is kept, nothing beside it


def test_a_link_where_the_pack_folder_goes_is_refused_and_its_target_kept(project_root, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("not ours")
    (project_root / "build").mkdir()
    (project_root / "build" / "example").symlink_to(elsewhere, target_is_directory=True)
    assert_refused(run("build", "example"), "error: build/example: is a link, where the build puts a folder of outputs (move or delete it, then build again)")
    assert sorted(os.listdir(project_root / "build")) == ["example"]
    assert os.listdir(elsewhere) == ["keep.txt"]


def test_debris_of_a_crashed_build_is_removed_by_the_next(tmp_path):
    final = tmp_path / "build" / "example"
    final.mkdir(parents=True)
    (final / "pack.pdf").write_bytes(LAST_PACK)
    debris = tmp_path / "build" / ".example.old-1234abcd"
    debris.mkdir()
    (debris / "old.pdf").write_bytes(b"old")
    with staged_folder(final) as staging:
        (staging / "pack.pdf").write_bytes(b"new")
    assert sorted(os.listdir(tmp_path / "build")) == ["example"]
    assert (final / "pack.pdf").read_bytes() == b"new"


class _Refusing:
    """A stream whose writes fail the way the system says `code`."""

    def __init__(self, code: int):
        self.code = code

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def write(self, data):
        raise OSError(self.code, os.strerror(self.code))


def _failing_fdopen(code: int):
    def fdopen(handle, mode):
        os.close(handle)
        # ENOSPC is real: /dev/full refuses every write with it. The others are simulated.
        return open("/dev/full", mode) if code == errno.ENOSPC else _Refusing(code)
    return fdopen


@pytest.mark.parametrize(("code", "reason"), [
    (errno.ENOSPC, "the disk is full (free some space, then build again; earlier packs are unchanged)"),
    (errno.EDQUOT, "the disk is full (free some space, then build again; earlier packs are unchanged)"),
    (errno.EACCES, "permission denied (ask for write access to the build folder, or build with --root in a folder of your own)"),
])
def test_write_failures_leave_the_last_pack_and_nothing_else(tmp_path, monkeypatch, code, reason):
    # A full disk or a denied write cannot be produced for root without mounting; the
    # stream written to is replaced (by /dev/full for ENOSPC), everything around it is real.
    root = tmp_path / "project"
    last = plant_last_pack(root)
    monkeypatch.chdir(root)
    final = root / "build" / "example"
    with pytest.raises(OutputError) as caught:
        with staged_folder(final) as staging:
            write_atomically(staging / "01-invitation.docx", b"first")
            monkeypatch.setattr("cti_briefings.output.os.fdopen", _failing_fdopen(code))
            write_atomically(staging / "02-visit-programme.docx", b"second")
    monkeypatch.undo()
    assert caught.value.format_message() == f"build/example/02-visit-programme.docx: cannot be written: {reason}"
    assert fingerprint(root / "build") == last


def test_a_denied_replace_restores_the_last_pack(tmp_path, monkeypatch):
    root = tmp_path / "project"
    last = plant_last_pack(root)
    monkeypatch.chdir(root)
    real_rename = os.rename

    def rename(source, target):
        if ".new-" in str(source):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_rename(source, target)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(OutputError) as caught:
        with staged_folder(root / "build" / "example") as staging:
            (staging / "pack.pdf").write_bytes(b"new")
    monkeypatch.undo()
    assert caught.value.format_message() == ("cannot replace build/example: permission denied (ask for write access to the build folder, "
                                             "or build with --root in a folder of your own) (is a file in it open in another program?)")
    assert fingerprint(root / "build") == last
