"""Say where a value is in a country file in the words people use: "meeting 2, start".

A location is the path of keys and list positions to a value, e.g. ('meetings', 1, 'start').
Lists count from 1 in messages, as people do, and are named by what they hold: an entry of
`meetings` is "meeting 2", of `delegation` "delegation member 1". Keys of plain groups stay
as they are written in the file ("visit.end").
"""

from __future__ import annotations

from collections.abc import Callable

Location = tuple[str | int, ...]

# What one entry of each list is called. Lists not named here fall back to "<key> entry".
ENTRY_NOUNS = {
    "address": "address line",
    "areas": "area",
    "articles": "article",
    "background": "background line",
    "core_states": "Core State",
    "counterparts": "counterpart",
    "delegation": "delegation member",
    "facilitators": "facilitator",
    "institutions": "institution",
    "key_messages": "key message",
    "meetings": "meeting",
    "objectives": "objective",
    "participants": "participant",
    "phases": "phase",
    "portfolios": "portfolio",
    "priorities": "priority",
    "questions": "question",
    "recommendations": "recommendation",
    "reports": "report",
    "review_actions": "review action",
    "sessions": "session",
    "speakers": "speaker",
    "specialists": "specialist",
    "steps": "step",
    "tools": "tool",
}


def describe_location(location: Location, is_list: Callable[[Location], bool]) -> str:
    """Return `location` in words: ('seminar', 'sessions', 2, 'end') -> 'seminar session 3, end'.

    `is_list(prefix)` says whether the value at `prefix` is a list, so that a list position
    (counted from 1) is told apart from a number used as a key (strategy step 3).
    """
    parts: list[str] = []
    keys: list[str] = []
    for depth, part in enumerate(location):
        parent = tuple(location[:depth])
        if isinstance(part, int) and keys and is_list(parent):
            list_key = keys.pop()
            noun = ENTRY_NOUNS.get(list_key, f"{list_key} entry")
            group = ".".join(keys)
            parts.append(f"{group} {noun} {part + 1}" if group else f"{noun} {part + 1}")
            keys = []
        else:
            keys.append(str(part))
    if keys:
        parts.append(".".join(keys))
    return ", ".join(parts)

