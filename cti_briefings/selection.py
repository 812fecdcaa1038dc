"""Which countries a command works on: those named, or all of them, or a stable share of them.

A share (`--shard K/N`) is chosen by a hash of each country's name, not by the order of files,
so a country always lands in the same share of N, and the N shares cover every country once.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .errors import ContentError, Problem
from .project import Project

SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Shard:
    """Share `index` (1-based) of `count`."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def holds(self, slug: str) -> bool:
        """Say whether a country belongs to this share."""
        bucket = int.from_bytes(hashlib.sha256(slug.encode()).digest()[:8], "big") % self.count
        return bucket == self.index - 1


def parse_shard(text: str) -> Shard:
    """Read 'K/N' (1 <= K <= N); raise ValueError with what to write otherwise."""
    match = SHARD.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a share: write K/N, e.g. 1/4 for the first of four")
    index, count = int(match.group(1)), int(match.group(2))
    if count < 1 or not 1 <= index <= count:
        raise ValueError(f"'{text}' is not a share: K must be between 1 and N, e.g. 1/4 to 4/4")
    return Shard(index, count)


def resolve_slugs(project: Project, slugs: list[str], every: bool, shard: Shard | None = None) -> list[str]:
    """Return the countries a command works on: those named, or all of them; only `shard`'s share."""
    if every or not slugs:
        from .content import country_slugs  # here: it loads the schema, which naming countries does not need

        known = country_slugs(project.content_dir)
        if not known:
            raise ContentError([Problem(str(project.content_dir / "countries"), None, "", "has no country files", "add one, e.g. by copying example.yaml")])
        chosen = known
    else:
        chosen = list(dict.fromkeys(slugs))
    return [slug for slug in chosen if shard is None or shard.holds(slug)]

