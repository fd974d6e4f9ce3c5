"""Standalone exercise check: the build's exercise validation without building the site.

    python -m quiz.check PROJECT_DIR     (python3 run.py check runs this and the lesson checks)

Exit status 0 when every exercise is fine, 1 when there is any problem,
so it also serves as a pre-commit hook.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .session import QuizSession


def run(project_dir: Path, out=sys.stdout) -> int:
    session = QuizSession(project_dir)
    for path in sorted(session.docs_dir.rglob("*.md")):
        session.scan_page(path.relative_to(session.docs_dir).as_posix(), path.read_text(encoding="utf-8-sig", errors="replace"))
    problems = session.finish()
    print(session.coverage_text(), file=out)
    print(file=out)
    for problem in problems:
        print(problem.format(), file=out)
    if problems:
        print(f"练习题检查发现 {len(problems)} 个问题，请逐条修改后重新检查。", file=out)
        return 1
    count = len(session.bank.exercises)
    print(f"练习题检查通过：{len(session.bank.groups)} 个文件，共 {count} 道题。", file=out)
    return 0


def main(argv: list[str]) -> int:
    project_dir = Path(argv[0]) if argv else Path.cwd()
    return run(project_dir.resolve())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
