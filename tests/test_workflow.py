"""The CI workflow that builds the packs: valid for actionlint, and run with the README's make targets."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "packs.yml"
ACTIONLINT = Path(sys.executable).parent / "actionlint"


def test_workflow_passes_actionlint():
    result = subprocess.run([str(ACTIONLINT), "-no-color", str(WORKFLOW)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_would_catch_a_broken_workflow(tmp_path):
    broken = tmp_path / ".github" / "workflows" / "packs.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(WORKFLOW.read_text().replace("needs: packs", "needs: pack"))
    result = subprocess.run([str(ACTIONLINT), "-no-color", str(broken)], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 1 and 'job "manifest" needs job "pack" which does not exist' in result.stdout


def test_workflow_runs_the_make_targets_the_readme_documents():
    steps = [step for job in yaml.safe_load(WORKFLOW.read_text())["jobs"].values() for step in job["steps"]]
    commands = [step["run"] for step in steps if "run" in step]
    targets = [match for command in commands for match in re.findall(r"\bmake ([a-z-]+)", command)]
    assert set(targets) == {"system-packages", "check", "packs", "manifest"}
    readme, makefile = (ROOT / "README.md").read_text(), (ROOT / "Makefile").read_text()
    for target in targets:
        assert re.search(rf"^{target}:", makefile, re.M), f"make {target} is not in the Makefile"
        assert f"make {target}" in readme, f"the README does not document make {target}"
    assert all(re.sub(r"(sudo )?make \S+( SHARD=.+)?", "", command).strip() == "" for command in commands), "a step runs more than a make target"
