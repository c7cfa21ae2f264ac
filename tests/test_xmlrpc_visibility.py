"""DESIGN.md's visibility table over XML-RPC, against a real Odoo server.

The demo data is Integria's manual example: My Company (owned by admin, no
parent), Customer A (owned by user1) and Customer B (owned by manager1), both
children of My Company; user1 (Write) and manager1 (Manage) belong to My
Company; user2 is a portal contact of Customer A. Every cell of the table is
one test: a user, a company, an operation.

The demo records are shared with the other end-to-end tests and kept as they
were: what a test writes it restores, what it creates it deletes. Deleting is
tried on the demo companies only where it must be refused; where it must
succeed, the user deletes a twin: a company created for the test with the
same owner and parent company, which the rules treat exactly alike.
"""

import itertools
import uuid
import xmlrpc.client

import pytest

MODEL = "crm_support.company"
USERS = ("admin", "user1", "manager1", "user2")
COMPANIES = ("my_company", "customer_a", "customer_b")
CONTACTS = {
    "customer_a": ("res_partner_ana_demo", "res_partner_user2_demo"),
    "customer_b": ("res_partner_pierre_demo",),
}

READABLE = {
    "admin": {"my_company", "customer_a", "customer_b"},
    "user1": {"customer_a", "customer_b"},
    "manager1": {"customer_a", "customer_b"},
    "user2": set(),
}
WRITABLE = {
    "admin": {"my_company", "customer_a", "customer_b"},
    "user1": {"customer_a"},
    "manager1": {"customer_a", "customer_b"},
    "user2": set(),
}
DELETABLE = {
    "admin": {"my_company", "customer_a", "customer_b"},
    "user1": set(),
    "manager1": {"customer_a", "customer_b"},
    "user2": set(),
}
# users without a CRM group: every CRM call is refused, whatever the company
NO_CRM = {"user2"}

CELLS = list(itertools.product(USERS, COMPANIES))
CELL_IDS = [f"{user}-{company}" for user, company in CELLS]
cell = pytest.mark.parametrize(("user", "company"), CELLS, ids=CELL_IDS)


def unique(label):
    return f"e2e {label} {uuid.uuid4().hex[:12]}"


def allowed_or_refused(allowed, call, *args, **kwargs):
    """Run the call; when it must be refused, check it is, as an AccessError."""
    if allowed:
        return call(*args, **kwargs)
    with pytest.raises(xmlrpc.client.Fault) as refusal:
        call(*args, **kwargs)
    assert refusal.value.kind == "AccessError", refusal.value
    return None


@pytest.fixture(scope="module")
def rpc(xmlrpc_login):
    """Each demo user's XML-RPC connection (passwords are the logins)."""
    return {user: xmlrpc_login(user, user) for user in USERS}


@pytest.fixture(scope="module")
def demo(demo_ref):
    """Ids of the demo records, by short name."""
    ids = {
        name: demo_ref(f"crm_support.crm_support_company_{name}_demo")
        for name in COMPANIES
    }
    for company, xmlids in CONTACTS.items():
        ids[f"{company}_contacts"] = {demo_ref(f"crm_support.{x}") for x in xmlids}
    for user in ("user1", "manager1", "user2"):
        ids[user] = demo_ref(f"crm_support.res_users_{user}_demo")
    ids["admin"] = demo_ref("base.user_admin")
    return ids


@pytest.fixture(scope="module")
def companies(rpc, demo):
    """The demo companies as admin reads them, restored after the module."""
    admin = rpc["admin"]
    fields = ["name", "owner_id", "parent_company_id", "partner_id"]
    saved = ["comment", "last_activity"]
    records = admin.call(MODEL, "read", [demo[name] for name in COMPANIES], fields)
    snapshot = admin.call(MODEL, "read", [demo[name] for name in COMPANIES], saved)
    by_id = {record["id"]: record for record in records}
    yield {name: by_id[demo[name]] for name in COMPANIES}
    for values in snapshot:
        record_id = values.pop("id")
        admin.call(MODEL, "write", [record_id], values)


@pytest.fixture(scope="module")
def my_company_contact(rpc, companies):
    """A contact of My Company, which the demo data has none of."""
    admin = rpc["admin"]
    contact_id = admin.call(
        "res.partner",
        "create",
        {
            "name": unique("contact of My Company"),
            "parent_id": companies["my_company"]["partner_id"][0],
        },
    )
    yield contact_id
    admin.call("res.partner", "unlink", [contact_id])


@pytest.fixture
def contacts(demo, my_company_contact):
    return {
        "my_company": {my_company_contact},
        "customer_a": demo["customer_a_contacts"],
        "customer_b": demo["customer_b_contacts"],
    }


class Created:
    """What a test created, deleted as admin after it: companies, then partners."""

    def __init__(self):
        self.companies = []
        self.partners = []


@pytest.fixture
def created(rpc):
    created = Created()
    yield created
    admin = rpc["admin"]
    companies = admin.call(MODEL, "search", [("id", "in", created.companies)])
    if companies:
        for record in admin.call(MODEL, "read", companies, ["partner_id"]):
            created.partners.append(record["partner_id"][0])
        # the company first, so that its chatter goes with it
        admin.call(MODEL, "unlink", companies)
    partners = admin.call("res.partner", "search", [("id", "in", created.partners)])
    if partners:
        admin.call("res.partner", "unlink", partners)


# --- what each user sees ----------------------------------------------------


@pytest.mark.parametrize("user", USERS)
def test_visible_companies(rpc, demo, companies, user):
    """Among the demo companies, each user finds exactly the readable ones."""
    client = rpc[user]
    domain = [("id", "in", [demo[name] for name in COMPANIES])]
    expected = {demo[name] for name in READABLE[user]}
    if user in NO_CRM:
        for method, args in (
            ("search", [domain]),
            ("search_count", [domain]),
            ("read_group", [domain, ["owner_id"], ["owner_id"]]),
            ("name_search", ["", domain]),
            ("search_read", [domain, ["name"]]),
        ):
            allowed_or_refused(False, client.call, MODEL, method, *args)
        return

    assert set(client.call(MODEL, "search", domain)) == expected
    assert client.call(MODEL, "search_count", domain) == len(expected)
    assert {
        record_id for record_id, _name in client.call(MODEL, "name_search", "", domain)
    } == expected
    groups = client.call(MODEL, "read_group", domain, ["owner_id"], ["owner_id"])
    assert {group["owner_id"][0]: group["owner_id_count"] for group in groups} == {
        companies[name]["owner_id"][0]: 1 for name in READABLE[user]
    }


@cell
def test_read(rpc, demo, companies, user, company):
    result = allowed_or_refused(
        company in READABLE[user],
        rpc[user].call,
        MODEL,
        "read",
        [demo[company]],
        ["name", "owner_id", "parent_company_id"],
    )
    if result is not None:
        [record] = result
        expected = companies[company]
        assert record["name"] == expected["name"]
        assert record["owner_id"] == expected["owner_id"]
        assert record["parent_company_id"] == expected["parent_company_id"]


@cell
def test_search(rpc, demo, companies, user, company):
    found = allowed_or_refused(
        user not in NO_CRM,
        rpc[user].call,
        MODEL,
        "search",
        [("name", "=", companies[company]["name"])],
    )
    if found is not None:
        assert (demo[company] in found) == (company in READABLE[user])


@cell
def test_search_count(rpc, demo, user, company):
    count = allowed_or_refused(
        user not in NO_CRM,
        rpc[user].call,
        MODEL,
        "search_count",
        [("id", "=", demo[company])],
    )
    if count is not None:
        assert count == (1 if company in READABLE[user] else 0)


@cell
def test_read_group_by_owner(rpc, demo, companies, user, company):
    groups = allowed_or_refused(
        user not in NO_CRM,
        rpc[user].call,
        MODEL,
        "read_group",
        [("id", "=", demo[company])],
        ["owner_id"],
        ["owner_id"],
    )
    if groups is not None:
        expected = (
            [(companies[company]["owner_id"], 1)] if company in READABLE[user] else []
        )
        assert [(g["owner_id"], g["owner_id_count"]) for g in groups] == expected


@cell
def test_name_search(rpc, demo, companies, user, company):
    name = companies[company]["name"]
    found = allowed_or_refused(
        user not in NO_CRM, rpc[user].call, MODEL, "name_search", name
    )
    if found is not None:
        assert (demo[company] in [record_id for record_id, _name in found]) == (
            company in READABLE[user]
        )


# --- what each user changes -------------------------------------------------


@cell
def test_write(rpc, demo, user, company):
    admin = rpc["admin"]
    [before] = admin.call(MODEL, "read", [demo[company]], ["comment", "last_activity"])
    marker = unique(f"comment by {user}")

    result = allowed_or_refused(
        company in WRITABLE[user],
        rpc[user].call,
        MODEL,
        "write",
        [demo[company]],
        {"comment": marker},
    )

    [after] = admin.call(MODEL, "read", [demo[company]], ["comment"])
    if result is None:
        assert after["comment"] == before["comment"]
        return
    assert result is True
    assert marker in after["comment"]
    admin.call(
        MODEL,
        "write",
        [demo[company]],
        {"comment": before["comment"], "last_activity": before["last_activity"]},
    )


@cell
def test_create_under(rpc, demo, created, user, company):
    """Write users create companies, owned by themselves, under any parent."""
    name = unique(f"created by {user}")
    new_id = allowed_or_refused(
        user not in NO_CRM,
        rpc[user].call,
        MODEL,
        "create",
        {"name": name, "parent_company_id": demo[company]},
    )
    admin = rpc["admin"]
    if new_id is None:
        assert not admin.call(MODEL, "search", [("name", "=", name)])
        assert not admin.call("res.partner", "search", [("name", "=", name)])
        return
    created.companies.append(new_id)
    # the creator owns it, and so reads it back
    [record] = rpc[user].call(MODEL, "read", [new_id], ["owner_id", "name"])
    assert record["owner_id"][0] == demo[user]
    assert record["name"] == name


def test_create_for_another_owner_refused(rpc, demo):
    """A Write user may not hand a new company to someone else."""
    name = unique("created by user1 for manager1")
    allowed_or_refused(
        False,
        rpc["user1"].call,
        MODEL,
        "create",
        {
            "name": name,
            "owner_id": demo["manager1"],
            "parent_company_id": demo["my_company"],
        },
    )
    assert not rpc["admin"].call("res.partner", "search", [("name", "=", name)])


@cell
def test_unlink(rpc, demo, companies, created, user, company):
    admin = rpc["admin"]
    if company not in DELETABLE[user]:
        allowed_or_refused(False, rpc[user].call, MODEL, "unlink", [demo[company]])
        assert admin.call(MODEL, "search", [("id", "=", demo[company])])
        return

    # the twin: same owner and parent company as the demo company
    original = companies[company]
    parent = original["parent_company_id"]
    twin_id = admin.call(
        MODEL,
        "create",
        {
            "name": unique(f"twin of {original['name']}"),
            "owner_id": original["owner_id"][0],
            "parent_company_id": parent and parent[0],
        },
    )
    [twin] = admin.call(MODEL, "read", [twin_id], ["partner_id"])
    created.companies.append(twin_id)
    created.partners.append(twin["partner_id"][0])
    assert twin_id in rpc[user].call(MODEL, "search", [("id", "=", twin_id)])

    assert rpc[user].call(MODEL, "unlink", [twin_id]) is True
    assert not admin.call(MODEL, "search", [("id", "=", twin_id)])


# --- contacts ---------------------------------------------------------------


@pytest.mark.parametrize("user", USERS)
def test_contacts_with_crm_company(rpc, demo, contacts, user):
    """Contacts of readable companies, and only those, have a CRM company."""
    every_contact = set().union(*contacts.values())
    domain = [("crm_company_id", "!=", False), ("id", "in", sorted(every_contact))]
    found = allowed_or_refused(
        user not in NO_CRM, rpc[user].call, "res.partner", "search", domain
    )
    if found is not None:
        assert set(found) == set().union(*(contacts[name] for name in READABLE[user]))


@cell
def test_contact_crm_company(rpc, demo, contacts, user, company):
    """A contact shows its CRM company to those who read it, and is found by it."""
    client = rpc[user]
    every_contact = sorted(set().union(*contacts.values()))
    readable = company in READABLE[user]
    found = allowed_or_refused(
        user not in NO_CRM,
        client.call,
        "res.partner",
        "search",
        [("crm_company_id", "=", demo[company]), ("id", "in", every_contact)],
    )
    if found is None:
        return
    assert set(found) == (contacts[company] if readable else set())
    values = client.call(
        "res.partner", "read", sorted(contacts[company]), ["crm_company_id"]
    )
    shown = {value["crm_company_id"] and value["crm_company_id"][0] for value in values}
    assert shown == {demo[company] if readable else False}


@cell
def test_add_contact(rpc, demo, companies, created, user, company):
    """Contacts are added through the company by those who may write it."""
    admin = rpc["admin"]
    [before] = admin.call(MODEL, "read", [demo[company]], ["last_activity"])
    name = unique(f"contact added by {user}")

    result = allowed_or_refused(
        company in WRITABLE[user],
        rpc[user].call,
        MODEL,
        "write",
        [demo[company]],
        {"child_ids": [(0, 0, {"name": name, "function": "Buyer"})]},
    )

    added = admin.call(
        "res.partner", "search_read", [("name", "=", name)], ["parent_id"]
    )
    created.partners.extend(contact["id"] for contact in added)
    if result is None:
        assert added == []
        return
    admin.call(
        MODEL, "write", [demo[company]], {"last_activity": before["last_activity"]}
    )
    assert [contact["parent_id"][0] for contact in added] == [
        companies[company]["partner_id"][0]
    ]
