"""Only here to put the notebooks and default parameters into the wheel.

They live at the top of the repository (notebooks/, params/) where auditors
find them; an installed kpt-audit finds its copies in kpt_audit/data/.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = {"notebooks": ("*.ipynb",), "params": ("*.yaml", "counties/*.yaml")}


class BuildPyWithNotebooks(build_py):
    def run(self):
        super().run()
        root = Path(__file__).resolve().parent
        for folder, patterns in SHIPPED.items():
            for pattern in patterns:
                for src in sorted((root / folder).glob(pattern)):
                    dest = Path(self.build_lib) / "kpt_audit" / "data" / folder / src.relative_to(root / folder)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(src, dest)


setup(cmdclass={"build_py": BuildPyWithNotebooks})
