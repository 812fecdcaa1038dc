"""Guarded writes: a failed build leaves the last good one; nothing escapes the build folder."""

from __future__ import annotations

import pytest

from cti_briefings.errors import OutputError
from cti_briefings.output import safe_join, staged_folder, write_atomically


def test_successful_stage_replaces_the_folder_whole(tmp_path):
    final = tmp_path / "build" / "x"
    final.mkdir(parents=True)
    (final / "stale-brief.pdf").write_text("old")
    with staged_folder(final) as staging:
        write_atomically(staging / "pack.pdf", b"new")
    assert sorted(path.name for path in final.iterdir()) == ["pack.pdf"]
    assert sorted(path.name for path in final.parent.iterdir()) == ["x"]  # no debris


def test_failed_stage_keeps_the_previous_folder_untouched(tmp_path):
    final = tmp_path / "build" / "x"
    final.mkdir(parents=True)
    (final / "pack.pdf").write_bytes(b"last good")
    with pytest.raises(RuntimeError):
        with staged_folder(final) as staging:
            write_atomically(staging / "pack.pdf", b"half")
            raise RuntimeError("conversion failed")
    assert (final / "pack.pdf").read_bytes() == b"last good"
    assert sorted(path.name for path in final.parent.iterdir()) == ["x"]


def test_outputs_are_readable_by_others(tmp_path):
    path = write_atomically(tmp_path / "a.pdf", b"x")
    assert path.stat().st_mode & 0o044 == 0o044


@pytest.mark.parametrize("name", ["../escape.pdf", "/etc/passwd", "sub/../../x.pdf", ".hidden", ""])
def test_safe_join_refuses_names_that_leave_the_folder(tmp_path, name):
    with pytest.raises(OutputError):
        safe_join(tmp_path, name)


def test_safe_join_accepts_a_plain_name(tmp_path):
    assert safe_join(tmp_path, "01-invitation.pdf") == (tmp_path / "01-invitation.pdf").resolve()
