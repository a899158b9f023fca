"""The accessibility sweep as a report: every page each kind of user reaches, at 390
and 1280 px, with the elements axe flags on it and the seconds it took.

It runs tests/browser/test_accessibility.py (pass or fail) and prints the table that
test leaves in artifacts/axe.txt, each violation listed under it.

Run with `python3 -m uv run python bench/axe.py` from the project root.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "artifacts" / "axe.txt"
TEST = "tests/browser/test_accessibility.py"


def main() -> int:
    TABLE.unlink(missing_ok=True)
    run = subprocess.run(  # noqa: S603 - our own test, by its fixed path
        [sys.executable, "-m", "pytest", "-q", "--no-header", "-rN", "--tb=no", TEST],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if not TABLE.exists():  # the sweep never finished: say why
        print(run.stdout[-4000:], run.stderr[-4000:], sep="\n")
        return run.returncode or 1
    print(TABLE.read_text(), end="")
    print(run.stdout.strip().splitlines()[-1])
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
