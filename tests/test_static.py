"""The OCA 18.0 static checks of the repository, as tests.

They need neither Odoo nor a database: ruff (lint and format), prettier on the
addon's XML, pylint-odoo on the addon. Each test shows the tool's output when
it fails.
"""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRETTIER = ROOT / "node_modules" / ".bin" / "prettier"


def run(*command):
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, check=False
    )
    output = f"$ {' '.join(command)}\n{result.stdout}{result.stderr}"
    return result.returncode, output


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(("check", "."), id="check"),
        pytest.param(("format", "--check", "."), id="format"),
    ],
)
def test_ruff(command):
    code, output = run(sys.executable, "-m", "ruff", *command)
    assert code == 0, output


def test_prettier_xml():
    assert PRETTIER.exists(), f"{PRETTIER} is missing: run npm install"
    code, output = run(str(PRETTIER), "--check", "crm_support/**/*.xml")
    assert code == 0, output


def test_pylint_odoo():
    code, output = run(
        sys.executable, "-m", "pylint", "--rcfile=.pylintrc", "crm_support"
    )
    assert code == 0, output
