"""Copy the snapshot tests' screens into docs/screens/, so the docs show what the code draws.

The pictures are made by tests/test_tui_snapshots.py (real Pilot runs at 80x24, kept by
pytest-textual-snapshot under tests/__snapshots__/). After a screen changes:

    ./bench test tests/test_tui_snapshots.py --snapshot-update
    .venv/bin/python docs/screens/update.py

tests/test_tui_snapshots.py fails while a picture here differs from its snapshot.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
SNAPSHOTS = HERE.parent.parent / "tests" / "__snapshots__" / "test_tui_snapshots"
PATTERN = re.compile(r"test_screen_at_80x24\[(?P<name>[a-z_]+)\]\.svg")


def pictures() -> dict[str, Path]:
    """Each 80x24 snapshot by the name it has here: `test_screen_at_80x24[home].svg` is `home.svg`."""
    found = (PATTERN.fullmatch(path.name) for path in SNAPSHOTS.iterdir())
    return {f"{m['name']}.svg": SNAPSHOTS / m.string for m in found if m}


def main() -> None:
    wanted = pictures()
    for name, snapshot in sorted(wanted.items()):
        shutil.copyfile(snapshot, HERE / name)
    for stale in sorted(set(p.name for p in HERE.glob("*.svg")) - set(wanted)):
        (HERE / stale).unlink()
        print(f"removed {stale}")
    print(f"{len(wanted)} pictures in {HERE}")


if __name__ == "__main__":
    main()
