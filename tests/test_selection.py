"""Shares of the countries (--shard K/N): stable, and covering every country exactly once."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from conftest import SLUGS

from cti_briefings.cli import cli
from cti_briefings.project import Project
from cti_briefings.selection import Shard, parse_shard, resolve_slugs

MANY = [f"country-{index}" for index in range(300)] + SLUGS


@pytest.mark.parametrize("count", [1, 2, 3, 4, 7])
def test_shares_cover_every_country_exactly_once(count):
    shares = [[slug for slug in MANY if Shard(index, count).holds(slug)] for index in range(1, count + 1)]
    assert sorted(slug for share in shares for slug in share) == sorted(MANY)
    assert all(shares), "a share of 300 countries is empty: the hash does not spread"


def test_a_country_stays_in_its_share_whatever_the_order_of_files(project_root):
    project = Project(root=project_root)
    shard = Shard(1, 2)
    forwards = resolve_slugs(project, SLUGS, every=False, shard=shard)
    backwards = resolve_slugs(project, SLUGS[::-1], every=False, shard=shard)
    assert sorted(forwards) == sorted(backwards) == sorted(resolve_slugs(project, [], every=True, shard=shard))


def test_shard_text_is_checked():
    assert parse_shard("2/4") == Shard(2, 4) and parse_shard(" 1 / 1 ") == Shard(1, 1)
    with pytest.raises(ValueError, match=r"^'0/4' is not a share: K must be between 1 and N, e.g. 1/4 to 4/4$"):
        parse_shard("0/4")
    with pytest.raises(ValueError, match=r"^'half' is not a share: write K/N, e.g. 1/4 for the first of four$"):
        parse_shard("half")


def test_bad_shard_is_a_usage_error(project_root):
    result = CliRunner().invoke(cli, ["build", "--all", "--shard", "5/4"])
    assert result.exit_code == 2
    assert "Invalid value for '--shard': '5/4' is not a share: K must be between 1 and N, e.g. 1/4 to 4/4" in result.output


def test_checking_each_share_checks_every_country_once(project_root):
    checked = 0
    for index in (1, 2):
        result = CliRunner().invoke(cli, ["check", "--shard", f"{index}/2"])
        assert result.exit_code == 0, result.output
        found = re.search(r" and (\d+) countr(y|ies): content and templates are fine", result.output)
        assert found or "nothing to check" in result.output, result.output
        checked += int(found.group(1)) if found else 0
    assert checked == len(SLUGS)
