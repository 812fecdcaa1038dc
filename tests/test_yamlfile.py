"""yamlfile: libyaml's parser gives the same data, lines and written values as the pure-Python loader."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO

from cti_briefings import yamlfile
from cti_briefings.errors import ContentError
from cti_briefings.yamlfile import load_yaml

CONTENT_FILES = sorted((REPO / "content").rglob("*.yaml"))
ODD_BUT_VALID = [
    "a: 1\nb: [x, {c: 'd'}, 0o17, 0x1F, 1_000, .inf, -.nan, ~, yes, 2027-02-16, '09:30', 9:30]\n",
    "text: |\n  two\n  lines\n\nfolded: >-\n  one\n  line\nnull: key\n1: one\ntrue: yes\n",
    "list:\n- a\n-\n  - b\n  - c\n- {x: 1,\n   y: 2}\nplain: a multi\n  line value\n",
    "'quoted key': \"tab\\there\"\r\nwindows: line ends\r\n",
    "",
    "# only a comment\n",
]


def documents(text: str, tmp_path: Path) -> tuple[yamlfile.YamlDocument, yamlfile.YamlDocument]:
    """The document as read with libyaml's parser, and as read by the pure-Python loader alone."""
    path = tmp_path / "file.yaml"
    path.write_text(text, encoding="utf-8", newline="")
    fast = load_yaml(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yamlfile, "_parse_fast", lambda text: None)
        pure = load_yaml(path)
    return fast, pure


def test_libyaml_is_used_here():
    assert yamlfile.LIBYAML, "PyYAML without libyaml: the tests below compare the pure-Python loader with itself"


@pytest.mark.parametrize("text", [path.read_text(encoding="utf-8") for path in CONTENT_FILES] + ODD_BUT_VALID,
                         ids=[path.name for path in CONTENT_FILES] + [f"odd-{number}" for number in range(len(ODD_BUT_VALID))])
def test_both_parsers_give_the_same_document(text, tmp_path):
    fast, pure = documents(text, tmp_path)
    assert repr(fast.data) == repr(pure.data)
    assert (fast.lines, fast.sequences, fast.scalars) == (pure.lines, pure.sequences, pure.scalars)


@pytest.mark.parametrize("text", ["a: 1\nb: [\n", "a: b: c\n", "a: 1\na: 2\n", "a: *x\n", "a: !!binary aGk=\n", "a:\n\t- b\n", "a: 1\n---\nb: 2\n"])
def test_a_problem_is_reported_as_the_pure_python_loader_reports_it(text, tmp_path):
    messages = []
    for fast in (True, False):
        with pytest.MonkeyPatch.context() as patch:
            if not fast:
                patch.setattr(yamlfile, "_parse_fast", lambda text: None)
            path = tmp_path / "file.yaml"
            path.write_text(text, encoding="utf-8")
            with pytest.raises(ContentError) as raised:
                load_yaml(path)
            messages.append(raised.value.format_message())
    assert messages[0] == messages[1]


def test_a_syntax_error_has_the_pure_python_loaders_words(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("file.yaml").write_text("a: 1\nb: c: d\n", encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_yaml(Path("file.yaml"))
    # libyaml says 'mapping values are not allowed in this context'
    assert raised.value.format_message() == ("file.yaml:2: YAML syntax error: mapping values are not allowed here "
                                             "(put text that contains ': ' in quotes, or check the indentation of the line above)")


def test_a_file_the_fast_parser_cannot_read_is_read_by_the_pure_python_loader(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(yamlfile, "_parse_fast", lambda text: calls.append(text))
    path = tmp_path / "file.yaml"
    path.write_text("a: [1, 2]\n", encoding="utf-8")
    assert load_yaml(path).data == {"a": [1, 2]}
    assert calls == ["a: [1, 2]\n"]
