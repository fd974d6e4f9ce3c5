"""The CI pipeline files: test, then the strict build, then publish on main only."""

from __future__ import annotations

import re

import yaml

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = ["python3 run.py test", "python3 run.py check", "python3 run.py build", "python3 run.py publish"]
HANDOUTS = ["python3 run.py workbook", "python3 run.py workbook --edition instructor", "python3 run.py offline"]
# Nothing secret may be written into a pipeline file.
SECRET = re.compile(r"BEGIN [A-Z ]*PRIVATE KEY|ssh-(ed25519|rsa) AAAA|password\s*[:=]", re.I)


def test_gitlab_runs_test_build_publish_in_order_and_publishes_main_only():
    text = (ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8")
    pipeline = yaml.safe_load(text)
    assert pipeline["stages"] == ["test", "build", "publish"]
    assert pipeline["test"]["script"] == ["python3 run.py test"]
    # The whole-course checks run before any build (the build engine need not run them).
    script = pipeline["build"]["script"]
    assert script[:2] == ["python3 run.py check", "python3 run.py build"]
    assert script[2].endswith("python3 run.py build --edition instructor") and len(script) == 3
    assert "site-instructor/" in pipeline["build"]["artifacts"]["paths"]
    assert "--site site-instructor" in pipeline["publish"]["script"][-1]
    assert pipeline["build"]["needs"] == ["test"]
    assert "site/" in pipeline["build"]["artifacts"]["paths"]
    # The exercise cache is kept between pipelines, under the folder the engine writes.
    from quiz.cache import DEFAULT_FOLDER

    assert pipeline["build"]["cache"]["paths"] == [f"{DEFAULT_FOLDER}/"]
    # The handouts (both workbooks, the offline copy) are built after the tests and kept as artifacts.
    handouts = pipeline["handouts"]
    assert handouts["stage"] == "build" and handouts["needs"] == ["test"]
    assert handouts["script"] == HANDOUTS and handouts["artifacts"]["paths"] == ["dist/"]
    publish = pipeline["publish"]
    assert set(publish["needs"]) == {"test", "build"}
    assert publish["rules"] == [{"if": '$CI_COMMIT_BRANCH == "main"'}]
    assert publish["script"][-2] == "python3 run.py publish"
    assert publish["resource_group"]
    assert not SECRET.search(text)


def test_actions_workflow_runs_test_build_publish_in_order_and_publishes_main_only():
    text = (ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    steps = workflow["jobs"]["site"]["steps"]
    runs = [step.get("run", "") for step in steps]
    positions = [next(i for i, run in enumerate(runs) if command in run) for command in COMMANDS]
    assert positions == sorted(positions), "test, check, build and publish must run in this order"
    publish = steps[positions[3]]
    assert "refs/heads/main" in publish["if"]
    assert publish["env"]["PUBLISH_TARGET"] == "${{ vars.PUBLISH_TARGET }}"
    assert publish["env"]["SSH_KEY"] == "${{ secrets.PUBLISH_SSH_KEY }}"
    assert steps[positions[2]]["env"]["SITE_URL"] == "${{ vars.SITE_URL }}"
    made = next(i for i, run in enumerate(runs) if HANDOUTS[0] in run)
    assert runs[made].split("\n")[:3] == HANDOUTS and positions[0] < made
    assert steps[made + 1]["with"]["path"] == "dist/"
    assert not SECRET.search(text)


def test_the_readme_names_every_variable_an_administrator_sets():
    for variable in ("PUBLISH_TARGET", "SITE_URL", "PUBLISH_SSH_KEY", "PUBLISH_SSH_KNOWN_HOSTS", "PUBLISH_KEEP"):
        assert variable in README, variable
    for command in COMMANDS + ["python3 run.py rollback"]:
        assert command in README, command
