"""Hostile country files: every one ends in `error: file:line: ...`, exit 1, no traceback, nothing written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from hostile_run import assert_refused, fingerprint, plant_last_pack, run

EXAMPLE = (REPO / "content" / "countries" / "example.yaml").read_text(encoding="utf-8")
FILE = "content/countries/hostile.yaml"
ALIAS_BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n" for previous, name in zip("abcdefgh", "bcdefghi")
)
ALIAS_BOMB = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + ALIAS_BOMB


@pytest.fixture
def country(project_root):
    last = plant_last_pack(project_root)
    yield project_root / FILE
    assert fingerprint(project_root / "build") == last


def with_extra_line(line: str) -> str:
    """The example country with one line added before 'visit:' (line 20 of the result)."""
    before, after = EXAMPLE.split("\nvisit:", 1)
    assert before.count("\n") == 18, "the example's 'visit:' moved; update the line numbers below"
    return f"{before}\n{line}\nvisit:{after}"


def refused(path: Path, text: str | bytes, *lines: str, command: str = "check") -> None:
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    assert_refused(run(command, "hostile"), *lines)


def test_alias_bomb_is_refused_at_the_first_anchor(country):
    refused(country, ALIAS_BOMB, f"error: {FILE}:1: uses a YAML anchor ('&a') (remove it and write values out in full; anchors and aliases are not allowed (YAML_ALIASES_ALLOWED))")


def test_alias_without_anchor_is_refused(country):
    refused(country, with_extra_line("extra: *nowhere"), f"error: {FILE}:20: uses a YAML alias ('*nowhere') (write the value out in full; aliases are not allowed (YAML_ALIASES_ALLOWED))")


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!foo", "!!binary"])
def test_yaml_tags_are_refused(country, tag):
    refused(country, with_extra_line(f'extra: {tag} ["echo hi"]'), f"error: {FILE}:20: uses a YAML tag ('{tag}') (remove it: values are plain text, numbers, lists and groups)")


@pytest.mark.parametrize(("written", "code"), [("\\u202e", "202E"), ("\\u2066", "2066"), ("\\x07", "0007"), ("\\0", "0000"), ("\\e", "001B")])
def test_escaped_control_and_bidi_characters_are_refused_with_the_line(country, written, code):
    refused(country, with_extra_line(f'extra: "Minister{written}of Justice"'), f"error: {FILE}:20: contains an invisible control character (U+{code}) (delete it and retype the text around it)")


@pytest.mark.parametrize(("raw", "code"), [("\u202e", "202E"), ("\x07", "0007"), ("\x1b", "001B")])
def test_raw_control_and_bidi_characters_are_refused_with_the_line(country, raw, code):
    refused(country, with_extra_line(f"extra: Minister{raw}of Justice"), f"error: {FILE}:20: contains an invisible control character (U+{code}) (delete it and retype the text around it)")


def test_latin_1_file_reports_a_line_not_a_byte(country):
    refused(country, with_extra_line("extra: Café-Latin").encode("utf-8").replace("Café-Latin".encode(), b"Caf\xe9-Latin"),
            f"error: {FILE}:20: is not UTF-8 text (column 11: invalid continuation byte) (save it as UTF-8 (in Notepad: File > Save As > Encoding: UTF-8))")


def test_utf_16_file_is_named(country):
    refused(country, EXAMPLE.encode("utf-16"), f"error: {FILE}:1: is saved as UTF-16 (save it as UTF-8 (in Notepad: File > Save As > Encoding: UTF-8))")


def test_deep_nesting_is_refused(country):
    refused(country, "a: " + "[" * 5000 + "]" * 5000 + "\n", f"error: {FILE}:1: nests lists and groups more than 20 levels deep (MAX_NESTING_DEPTH) (check the indentation; compare with content/countries/example.yaml)")


def test_huge_file_is_refused_before_reading(country):
    refused(country, 'name: "' + "x" * 20_000_000 + '"\n', f"error: {FILE}: is 20 MB; the limit is 1 MB (MAX_CONTENT_FILE_BYTES) (a country file is text only; split it, or remove what was pasted into it)")


def test_long_list_is_refused_at_the_first_entry_past_the_limit(country):
    refused(country, "items:\n" + "- x\n" * 100_000, f"error: {FILE}:502: this list has more than 500 entries (MAX_LIST_ITEMS) (split the content, or check that it was not pasted twice)")


def test_number_too_long_is_refused(country):
    refused(country, with_extra_line("extra: " + "9" * 5000), f"error: {FILE}:20: is a number too long to be real (check the value, or put it in quotes)")


def test_reference_file_with_a_tag_is_refused_with_its_line(project_root):
    path = project_root / "content" / "reference" / "tools.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "extra: !!python/name:os.system\n", encoding="utf-8")
    line = path.read_text(encoding="utf-8").count("\n")
    assert_refused(run("check", "example"), f"error: content/reference/tools.yaml:{line}: uses a YAML tag ('!!python/name:os.system') (remove it: values are plain text, numbers, lists and groups)")


def test_a_refused_country_in_a_build_leaves_the_last_pack(country, project_root):
    refused(country, ALIAS_BOMB, f"error: {FILE}:1: uses a YAML anchor ('&a') (remove it and write values out in full; anchors and aliases are not allowed (YAML_ALIASES_ALLOWED))", command="build")
    assert sorted(path.name for path in (project_root / "build").iterdir()) == ["example"]


@pytest.mark.parametrize(("name", "text"), [
    ("alias-bomb", ALIAS_BOMB),
    ("20-MB-value", 'name: "' + "x" * 20_000_000 + '"\n'),
    ("100000-items", "items:\n" + "- x\n" * 100_000),
])
def test_cli_ends_quickly_and_small_on_hostile_files(country, name, text):
    """A real process: under 10 s and under 500 MB (figures reported in the closing note)."""
    country.write_text(text, encoding="utf-8")
    result = subprocess.run(["/usr/bin/time", "-f", "measured: %e s %M KB", sys.executable, "-m", "cti_briefings", "check", "hostile"],
                            capture_output=True, text=True, timeout=60)
    *errors, measured = result.stderr.strip().splitlines()
    seconds, peak_kb = float(measured.split()[1]), int(measured.split()[3])
    assert result.returncode == 1 and errors[0].startswith(f"error: {FILE}"), result.stderr
    assert "Traceback" not in result.stderr
    assert seconds < 10, f"{name}: {seconds:.1f} s"
    assert peak_kb < 500_000, f"{name}: {peak_kb} KB"
