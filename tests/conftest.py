"""Shared fixtures: a private copy of the project's content and templates for each test."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from cti_briefings.build import Project, build
from cti_briefings.content import country_slugs
from cti_briefings.office import Converter

REPO = Path(__file__).resolve().parent.parent
SLUGS = country_slugs(REPO / "content")


@pytest.fixture(scope="session", autouse=True)
def private_cache_folder(tmp_path_factory):
    """Builds under test keep LibreOffice profiles and cached PDFs apart from the user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CTI_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture
def project_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with copies of content/ and templates/; the working folder for the test."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "templates", root / "templates")
    monkeypatch.chdir(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795305600")  # 2026-11-22
    return root


@pytest.fixture
def project(project_root: Path) -> Project:
    return Project(root=project_root, timeout=120)


def country_data(slug: str = "example") -> dict:
    """A shipped country file as plain YAML data."""
    return yaml.safe_load((REPO / "content" / "countries" / f"{slug}.yaml").read_text(encoding="utf-8"))


class _WrittenOut(yaml.SafeDumper):
    """Writes repeated values out in full: country files may not use aliases."""

    def ignore_aliases(self, data) -> bool:
        return True


def write_country(root: Path, slug: str, data: dict | str) -> Path:
    """Write a country file from a dict (as YAML) or from raw text."""
    path = root / "content" / "countries" / f"{slug}.yaml"
    text = data if isinstance(data, str) else yaml.dump(data, Dumper=_WrittenOut, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Build every example country once, as `make packs` would, into a private copy."""
    root = tmp_path_factory.mktemp("packs")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "templates", root / "templates")
    with Converter(jobs=2) as office:
        results = build(Project(root=root, as_of=dt.date(2026, 11, 22)), SLUGS, office)
    (root / "documents-per-start.txt").write_text(str(office.documents_per_start), encoding="utf-8")  # for the test of the second LibreOffice
    return root, {result.slug: result for result in results}


@pytest.fixture(scope="session")
def office_cache(tmp_path_factory) -> Path:
    """A LibreOffice profile cache for the whole run: a profile is created once, not per test."""
    return tmp_path_factory.mktemp("office-cache")
