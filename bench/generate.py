"""Generate fictional countries for the benchmark from content/countries/example.yaml.

Each country is the example with some fields changed: its name, which of the example's meetings
it keeps (two to all), whether it has a seminar, and whether the invitation is a letter or a
note verbale. Every other field is the example's own, so the generated files stay valid as the
schema grows. They are written into a scratch project root, never into content/.

Usage: python bench/generate.py ROOT COUNT      (copies content/reference and templates too)
"""

from __future__ import annotations

import copy
import random
import shutil
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "content" / "countries" / "example.yaml"
NAMES = ["Arvenia", "Borealis", "Calderra", "Dunmark", "Estoria", "Faroland", "Galdovia", "Hesperia", "Istrana", "Jorvik",
         "Kalmara", "Lunaria", "Moravel", "Nortesse", "Ostravia", "Pellucia", "Quarrel", "Rivenne", "Solvara", "Tarsia"]


def country_variant(example: dict, index: int, rng: random.Random) -> dict:
    """Return the example country with its name, meetings, seminar and letter form varied."""
    data = copy.deepcopy(example)
    name = f"{NAMES[index % len(NAMES)]}{'' if index < len(NAMES) else f' {index // len(NAMES) + 1}'}"
    data["name"] = f"Republic of {name}"
    data["short_name"] = name
    meetings = data.get("meetings") or []
    if len(meetings) > 2:
        keep = sorted(rng.sample(range(len(meetings)), rng.randint(2, len(meetings))))
        data["meetings"] = [meetings[position] for position in keep]
    if index % 3 == 2:
        data.pop("seminar", None)
    visit = data.setdefault("visit", {})
    visit["letter_form"] = "note_verbale" if index % 2 else "letter"
    visit["reference"] = f"CTI/2027/{500 + index:03d}"  # each invitation has its own
    return data


def generate(root: Path, count: int, seed: int = 9) -> list[str]:
    """Write a project root with `count` generated countries; return their slugs."""
    if root.exists():
        shutil.rmtree(root)
    (root / "content" / "countries").mkdir(parents=True)
    shutil.copytree(REPO / "content" / "reference", root / "content" / "reference")
    shutil.copytree(REPO / "templates", root / "templates")
    example = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    sample_name = example["short_name"]
    rng = random.Random(seed)
    slugs: list[str] = []
    names: list[str] = []
    for index in range(count):
        slug = f"gen-{index + 1:02d}"
        data = country_variant(example, index, rng)
        # The sample State's name is left in places, venues and titles; the build refuses it there.
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).replace(sample_name, data["short_name"])
        (root / "content" / "countries" / f"{slug}.yaml").write_text(text, encoding="utf-8")
        slugs.append(slug)
        names.append(data["short_name"])
    # Generated States are sample States too (marked `example: true`, like the file they come from).
    fictional = root / "content" / "reference" / "fictional_states.yaml"
    if fictional.is_file():
        with fictional.open("a", encoding="utf-8") as stream:
            stream.writelines(f"  - {name}\n" for name in names)
    return slugs


if __name__ == "__main__":
    print("\n".join(generate(Path(sys.argv[1]), int(sys.argv[2]))))
