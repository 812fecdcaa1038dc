"""Profile slots: never shared, scratch emptied and removed, LibreOffice's settings hardened."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from cti_briefings.office.profiles import HARDENING, OOR, harden_profile, profile_slot


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CTI_CACHE_DIR", str(tmp_path / "cache"))


def settings_of(profile) -> dict[tuple[str, str], str]:
    root = ET.parse(profile / "user" / "registrymodifications.xcu").getroot()
    return {(item.get(f"{{{OOR}}}path"), item.find("prop").get(f"{{{OOR}}}name")): item.find("prop").findtext("value") for item in root.findall("item")}


def test_two_libreoffices_never_share_a_slot():
    with profile_slot() as first, profile_slot() as second:
        assert first.profile != second.profile and first.scratch != second.scratch
    with profile_slot() as again:
        assert again.profile == first.profile  # the kept profile is reused once free


def test_scratch_left_by_a_killed_build_is_emptied_and_removed_after_use(tmp_path):
    with profile_slot() as slot:
        pass
    (slot.scratch / "tmp" / "lu12345.tmp").mkdir(parents=True)
    with profile_slot() as again:
        assert again.scratch == slot.scratch
        assert [path.name for path in again.scratch.iterdir()] == ["tmp"]
        assert not list((again.scratch / "tmp").iterdir())
    assert not slot.scratch.exists()
    assert slot.profile.is_dir()  # kept: creating one costs LibreOffice seconds


def test_a_new_profile_gets_every_hardening_setting(tmp_path):
    harden_profile(tmp_path / "profile")
    assert settings_of(tmp_path / "profile") == {(path, name): value for path, name, value in HARDENING}


def test_hardening_keeps_other_settings_and_corrects_a_changed_one(tmp_path):
    settings = tmp_path / "profile" / "user" / "registrymodifications.xcu"
    settings.parent.mkdir(parents=True)
    settings.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry">'
        '<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>'
        '<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>false</value></prop></item>'
        "</oor:items>"
    )
    harden_profile(tmp_path / "profile")
    found = settings_of(tmp_path / "profile")
    assert found[("/org.openoffice.Office.Common/Misc", "FirstRun")] == "false"
    assert found[("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks")] == "true"
    assert len(found) == len(HARDENING) + 1


def test_a_hardened_profile_is_not_rewritten(tmp_path):
    harden_profile(tmp_path / "profile")
    settings = tmp_path / "profile" / "user" / "registrymodifications.xcu"
    before = settings.stat().st_mtime_ns
    harden_profile(tmp_path / "profile")
    assert settings.stat().st_mtime_ns == before


def test_a_damaged_profile_is_replaced(tmp_path):
    settings = tmp_path / "profile" / "user" / "registrymodifications.xcu"
    settings.parent.mkdir(parents=True)
    settings.write_text("<oor:items half written")
    (tmp_path / "profile" / "user" / "stale").write_text("x")
    harden_profile(tmp_path / "profile")
    assert not (tmp_path / "profile" / "user" / "stale").exists()
    assert settings_of(tmp_path / "profile") == {(path, name): value for path, name, value in HARDENING}
