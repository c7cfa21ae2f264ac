"""XML-RPC with an API key: it sees what its user sees, and the README's example runs.

The key is made the way a user makes one in the web client (Preferences >
Account Security > New API Key): a browser-like session opens the key
description wizard, Odoo asks for the password again (identity check), then
shows the key once. Odoo offers no XML-RPC call that makes a key, on purpose:
an API key must come from a session that proved the password. The key is
removed again after the module.
"""

import os
import re
import subprocess
import sys
import uuid
import xmlrpc.client
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODEL = "crm_support.company"
EXAMPLE_MARKER = "<!-- crm_support:xmlrpc-api-key-example -->"


def make_api_key(session, password, name):
    """Make an API key in a web session, as the Preferences dialog does."""
    # saved as the web client saves a dialog (the wizard's create takes no dict)
    [wizard] = session.call_kw(
        "res.users.apikeys.description",
        "web_save",
        [],
        {"name": name},
        specification={},
    )
    wizard_id = wizard["id"]
    action = session.call_kw("res.users.apikeys.description", "make_key", [wizard_id])
    if action["res_model"] == "res.users.identitycheck":
        # Odoo asks for the password again before it makes the key
        check = [action["res_id"]]
        session.call_kw(
            "res.users.identitycheck", "write", check, {"password": password}
        )
        action = session.call_kw("res.users.identitycheck", "run_check", check)
    assert action["res_model"] == "res.users.apikeys.show", action
    return action["context"]["default_key"]


def readme_examples():
    """The README files holding the API key example, with its code."""
    examples = []
    for path in sorted(ROOT.glob("README*.md")):
        text = path.read_text()
        if EXAMPLE_MARKER in text:
            after = text.split(EXAMPLE_MARKER, 1)[1]
            code = re.search(r"```python\n(.*?)```", after, re.DOTALL)
            assert code, f"{path.name}: no python block after the example marker"
            examples.append(pytest.param(code.group(1), id=path.name))
    return examples


@pytest.fixture(scope="module")
def user1_key(web_session):
    name = f"e2e key {uuid.uuid4().hex[:12]}"
    session = web_session("user1", "user1")
    key = make_api_key(session, "user1", name)
    yield key
    key_ids = session.call_kw("res.users.apikeys", "search", [("name", "=", name)])
    session.call_kw("res.users.apikeys", "remove", key_ids)


@pytest.fixture(scope="module")
def demo(demo_ref):
    return {
        name: demo_ref(f"crm_support.crm_support_company_{name}_demo")
        for name in ("my_company", "customer_a", "customer_b")
    }


def test_api_key_sees_what_its_user_sees(xmlrpc_login, demo, user1_key):
    client = xmlrpc_login("user1", user1_key)
    domain = [("id", "in", list(demo.values()))]

    assert set(client.call(MODEL, "search", domain)) == {
        demo["customer_a"],
        demo["customer_b"],
    }
    for method, args in (
        ("read", [[demo["my_company"]], ["name"]]),
        ("write", [[demo["customer_b"]], {"comment": "never saved"}]),
        ("unlink", [[demo["customer_a"]]]),
    ):
        with pytest.raises(xmlrpc.client.Fault) as refusal:
            client.call(MODEL, method, *args)
        assert refusal.value.kind == "AccessError", refusal.value


def test_wrong_api_key_refused(odoo_server, odoo_db, user1_key):
    common = xmlrpc.client.ServerProxy(f"{odoo_server}/xmlrpc/2/common")
    wrong = user1_key[:-1] + ("0" if user1_key[-1] != "0" else "1")
    assert common.authenticate(odoo_db, "user1", wrong, {}) is False
    assert common.authenticate(odoo_db, "manager1", user1_key, {}) is False


def test_readme_lists_the_example():
    assert readme_examples(), f"no README*.md holds {EXAMPLE_MARKER}"


@pytest.mark.parametrize("code", readme_examples())
def test_readme_example_runs(odoo_server, odoo_db, user1_key, code):
    """The README's partner script, run as is, lists what user1 may read."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=dict(
            os.environ,
            ODOO_URL=odoo_server,
            ODOO_DB=odoo_db,
            ODOO_LOGIN="user1",
            ODOO_API_KEY=user1_key,
        ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    names = {line.split("\t")[0] for line in result.stdout.splitlines()}
    assert {"Customer A", "Customer B"} <= names, result.stdout
    assert "My Company" not in names, result.stdout
