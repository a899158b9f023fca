"""The accessibility sweep as a report: every page each kind of user reaches, at 390
and 1280 px, with the elements axe flags on it and the seconds it took.

It runs tests/browser/test_accessibility.py (pass or fail) and prints the tables its
parts leave in artifacts/axe/, each violation listed under them.

Run with `python3 -m uv run python bench/axe.py` from the project root.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLES = ROOT / "artifacts" / "axe"
TEST = "tests/browser/test_accessibility.py"


def main() -> int:
    for table in TABLES.glob("*.txt"):
        table.unlink()
    run = subprocess.run(  # noqa: S603 - our own test, by its fixed path
        [sys.executable, "-m", "pytest", "-q", "--no-header", "-rN", "--tb=no", TEST],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    tables = sorted(TABLES.glob("*.txt"))
    if not tables:  # the sweep never finished: say why
        print(run.stdout[-4000:], run.stderr[-4000:], sep="\n")
        return run.returncode or 1
    for table in tables:
        print(f"== {table.stem} ==", table.read_text(), sep="\n")
    print(run.stdout.strip().splitlines()[-1])
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
