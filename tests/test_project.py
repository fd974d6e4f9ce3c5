"""The project's promises to a new user: layout, two commands, CI wiring."""

from conftest import ROOT

TEST_COMMAND = "python3 run.py test"
BUILD_COMMAND = "python3 run.py build"


def test_layout_is_as_designed():
    for name in ("mkdocs.yml", "docs", "exercises", "hooks", "tests", "README.md"):
        assert (ROOT / name).exists(), name


def test_readme_gives_both_commands_and_windows_equivalents():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in (BUILD_COMMAND, TEST_COMMAND, "py run.py build", "py run.py test"):
        assert f"`{command}`" in readme, command


def test_ci_runs_exactly_the_readme_test_command():
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert f"exec {TEST_COMMAND}" in lines


def test_mkdocs_is_pinned_below_2():
    pins = (ROOT / "constraints.txt").read_text().splitlines()
    mkdocs = [line for line in pins if line.lower().startswith("mkdocs==")]
    assert mkdocs and mkdocs[0].split("==")[1].startswith("1.")


def test_exercise_core_imports_nothing_from_mkdocs():
    # Material 9 reaches end of life in 2027: moving engines must only touch the hook files.
    import ast

    for path in (ROOT / "hooks" / "quiz").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] in {"mkdocs", "material"} for n in names), path.name
