"""Remove outputs and execution counts from notebooks so git holds code only."""
import sys
from pathlib import Path

import nbformat


def strip(path: Path) -> bool:
    nb = nbformat.read(path, as_version=4)
    changed = False
    for cell in nb.cells:
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
            cell.outputs, cell.execution_count = [], None
            changed = True
    if changed:
        nbformat.write(nb, path)
    return changed


if __name__ == "__main__":
    for root in sys.argv[1:] or ["notebooks"]:
        for p in sorted(Path(root).rglob("*.ipynb")):
            if ".ipynb_checkpoints" not in p.parts and strip(p):
                print(f"stripped {p}")
