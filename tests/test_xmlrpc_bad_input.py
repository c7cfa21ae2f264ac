"""Bad input over XML-RPC: refused with a message naming the field, nothing saved.

XML-RPC clients send bare ids and values; the addon must answer a stale id, a
portal owner or a parent company cycle with a user error (fault code 2) whose
message names the field, and leave the database as it was.
"""

import uuid
import xmlrpc.client

import pytest

MODEL = "crm_support.company"
# an id no table of the demo database reaches
MISSING_ID = 2_000_000_000


def unique(label):
    return f"e2e {label} {uuid.uuid4().hex[:12]}"


def refused(call, *args):
    """Run a call that must be refused as bad input; return the message."""
    with pytest.raises(xmlrpc.client.Fault) as refusal:
        call(*args)
    assert refusal.value.kind == "UserError", refusal.value
    return refusal.value.message


@pytest.fixture(scope="module")
def rpc(xmlrpc_login):
    return {user: xmlrpc_login(user, user) for user in ("admin", "user1", "manager1")}


@pytest.fixture(scope="module")
def demo(demo_ref):
    return {
        "my_company": demo_ref("crm_support.crm_support_company_my_company_demo"),
        "customer_a": demo_ref("crm_support.crm_support_company_customer_a_demo"),
        "customer_b": demo_ref("crm_support.crm_support_company_customer_b_demo"),
        "user2": demo_ref("crm_support.res_users_user2_demo"),
    }


@pytest.fixture
def scratch(rpc):
    """Companies created by the test, deleted with their partners after it."""
    ids = []
    yield ids
    admin = rpc["admin"]
    existing = admin.call(MODEL, "search", [("id", "in", ids)])
    if existing:
        partners = [
            r["partner_id"][0]
            for r in admin.call(MODEL, "read", existing, ["partner_id"])
        ]
        admin.call(MODEL, "unlink", existing)
        admin.call("res.partner", "unlink", partners)


def assert_nothing_named(rpc, name):
    admin = rpc["admin"]
    assert admin.call("res.partner", "search", [("name", "=", name)]) == []
    assert admin.call(MODEL, "search", [("name", "=", name)]) == []


def company_values(rpc, company_id, fields):
    [values] = rpc["admin"].call(MODEL, "read", [company_id], fields)
    return values


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("role_id", "Role"),
        ("country_id", "Country"),
        ("parent_company_id", "Parent Company"),
        ("owner_id", "Owner"),
        ("state_id", "State"),
    ],
)
def test_missing_record_on_create(rpc, field, label):
    name = unique(f"missing {field}")
    message = refused(
        rpc["user1"].call, MODEL, "create", {"name": name, field: MISSING_ID}
    )
    assert message.startswith(f"{label}:"), message
    assert str(MISSING_ID) in message
    assert_nothing_named(rpc, name)


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("role_id", "Role"),
        ("country_id", "Country"),
        ("parent_company_id", "Parent Company"),
        ("owner_id", "Owner"),
    ],
)
def test_missing_record_on_write(rpc, demo, field, label):
    before = company_values(rpc, demo["customer_a"], [field, "comment"])
    message = refused(
        rpc["user1"].call,
        MODEL,
        "write",
        [demo["customer_a"]],
        {field: MISSING_ID, "comment": unique("never saved")},
    )
    assert message.startswith(f"{label}:"), message
    assert str(MISSING_ID) in message
    assert company_values(rpc, demo["customer_a"], [field, "comment"]) == before


def test_portal_owner_refused_on_write(rpc, demo):
    before = company_values(rpc, demo["customer_b"], ["owner_id"])
    message = refused(
        rpc["manager1"].call,
        MODEL,
        "write",
        [demo["customer_b"]],
        {"owner_id": demo["user2"]},
    )
    assert message.startswith("Owner:"), message
    assert "User 2" in message
    assert "Customer B" in message
    assert company_values(rpc, demo["customer_b"], ["owner_id"]) == before


def test_portal_owner_refused_on_create(rpc, demo):
    name = unique("owned by a portal user")
    message = refused(
        rpc["manager1"].call,
        MODEL,
        "create",
        {
            "name": name,
            "owner_id": demo["user2"],
            "parent_company_id": demo["customer_a"],
        },
    )
    assert message.startswith("Owner:"), message
    assert "User 2" in message
    assert_nothing_named(rpc, name)


def test_parent_company_cycle_refused(rpc, scratch):
    user1 = rpc["user1"]
    top_name, child_name = unique("top"), unique("child")
    top = user1.call(MODEL, "create", {"name": top_name})
    scratch.append(top)
    child = user1.call(MODEL, "create", {"name": child_name, "parent_company_id": top})
    scratch.append(child)
    grandchild = user1.call(
        MODEL, "create", {"name": unique("grandchild"), "parent_company_id": child}
    )
    scratch.append(grandchild)

    for parent, parent_name in ((grandchild, None), (child, child_name)):
        message = refused(
            user1.call, MODEL, "write", [top], {"parent_company_id": parent}
        )
        assert message.startswith("Parent Company:"), message
        assert top_name in message
        if parent_name:
            assert parent_name in message
    message = refused(user1.call, MODEL, "write", [top], {"parent_company_id": top})
    assert message.startswith("Parent Company:"), message

    assert company_values(rpc, top, ["parent_company_id"])["parent_company_id"] is False
    assert company_values(rpc, grandchild, ["parent_path"])["parent_path"] == (
        f"{top}/{child}/{grandchild}/"
    )


@pytest.mark.parametrize("value", ["abc", 2.5, [1]], ids=["text", "float", "list"])
@pytest.mark.parametrize(
    ("field", "label"),
    [("parent_company_id", "Parent Company"), ("role_id", "Role")],
)
def test_not_an_id_on_write(rpc, demo, field, label, value):
    before = company_values(rpc, demo["customer_a"], [field])
    message = refused(
        rpc["user1"].call, MODEL, "write", [demo["customer_a"]], {field: value}
    )
    assert message.startswith(f"{label}:"), message
    assert company_values(rpc, demo["customer_a"], [field]) == before
