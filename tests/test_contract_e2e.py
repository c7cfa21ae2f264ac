"""Contracts from outside, on the demo database, over XML-RPC.

user1 creates a contract of the demo licence type (two custom fields) for
Customer A, generates its PDF from the shipped certificate and finds it
attached, every macro filled in (read back with pdftotext); user2, Customer
A's portal contact, sees neither the contract nor the file. A value of the
wrong kind in a custom field is refused and nothing is saved.
"""

import base64
import re
import subprocess
import tempfile
import uuid
import xmlrpc.client

import pytest

CONTRACT = "crm_support.contract"
# anything shaped like a macro, as the template model defines it
MACRO_SHAPE = re.compile(r"(?<![A-Za-z0-9_])_[A-Za-z0-9]\w*?_(?![A-Za-z0-9_])")


def pdf_text(data):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(data)
        pdf.flush()
        result = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-layout", pdf.name, "-"],
            capture_output=True,
            check=True,
        )
    return re.sub(r"\s+", " ", result.stdout.decode())


@pytest.fixture(scope="module")
def rpc(xmlrpc_login):
    return {user: xmlrpc_login(user, user) for user in ("admin", "user1", "user2")}


@pytest.fixture(scope="module")
def demo(demo_ref):
    return {
        "customer_a": demo_ref("crm_support.crm_support_company_customer_a_demo"),
        "licence": demo_ref("crm_support.crm_support_contract_type_licence_demo"),
        "certificate": demo_ref(
            "crm_support.crm_support_contract_template_certificate"
        ),
    }


@pytest.fixture
def customer_a_restored(rpc, demo):
    """Put Customer A's timeline and last activity back as they were."""
    admin = rpc["admin"]
    [before] = admin.call(
        "crm_support.company", "read", [demo["customer_a"]], ["last_activity"]
    )
    last_message = admin.call("mail.message", "search", [], limit=1, order="id desc")
    created = []
    yield created
    if created:
        admin.call(CONTRACT, "unlink", created)
    new_messages = admin.call(
        "mail.message",
        "search",
        [
            ("id", ">", last_message[0] if last_message else 0),
            ("model", "=", "crm_support.company"),
            ("res_id", "=", demo["customer_a"]),
        ],
    )
    admin.call("mail.message", "unlink", new_messages)
    admin.call(
        "crm_support.company",
        "write",
        [demo["customer_a"]],
        {"last_activity": before["last_activity"]},
    )


def test_user1_generates_the_certificate_user2_sees_nothing(
    rpc, demo, customer_a_restored
):
    user1, user2 = rpc["user1"], rpc["user2"]
    number = f"E2E-{uuid.uuid4().hex[:10]}"
    contract_id = user1.call(
        CONTRACT,
        "create",
        {
            "name": "End-to-end licence",
            "contract_number": number,
            "crm_company_id": demo["customer_a"],
            "type_id": demo["licence"],
            "date_start": "2026-01-01",
            "date_end": "2026-12-31",
            "properties": {"licences": 75, "support_level": "24x7"},
        },
    )
    customer_a_restored.append(contract_id)

    wizard_id = user1.call(
        "crm_support.contract.generate",
        "create",
        {"template_id": demo["certificate"], "contract_ids": [(6, 0, [contract_id])]},
    )
    user1.call("crm_support.contract.generate", "action_generate", [wizard_id])

    [attachment] = user1.call(
        "ir.attachment",
        "search_read",
        [("res_model", "=", CONTRACT), ("res_id", "=", contract_id)],
        ["name", "mimetype", "datas"],
    )
    assert attachment["mimetype"] == "application/pdf"
    assert attachment["name"].endswith("End-to-end licence.pdf")
    text = pdf_text(base64.b64decode(attachment["datas"]))
    # Customer A speaks Spanish on the demo data: so does its certificate
    for expected in ("CERTIFICADO DE SOPORTE", "Customer A", number, "Licences 75"):
        assert expected in text, text
    assert "Support Level 24x7" in text, text
    assert not MACRO_SHAPE.findall(text), text

    # the portal contact of Customer A reads no contract and no file
    for model, domain in (
        (CONTRACT, []),
        ("ir.attachment", [("res_model", "=", CONTRACT)]),
    ):
        with pytest.raises(xmlrpc.client.Fault) as refusal:
            user2.call(model, "search_read", domain, ["name"])
        assert refusal.value.kind == "AccessError", refusal.value


def test_wrong_kind_of_custom_field_value_is_refused(rpc, demo):
    user1 = rpc["user1"]
    number = f"E2E-{uuid.uuid4().hex[:10]}"
    with pytest.raises(xmlrpc.client.Fault) as refusal:
        user1.call(
            CONTRACT,
            "create",
            {
                "name": "Refused",
                "contract_number": number,
                "crm_company_id": demo["customer_a"],
                "type_id": demo["licence"],
                "properties": {"licences": "seventy-five"},
            },
        )
    assert refusal.value.kind == "UserError", refusal.value
    assert "Licences" in refusal.value.message
    assert "'seventy-five'" in refusal.value.message
    assert not rpc["admin"].call(CONTRACT, "search", [("contract_number", "=", number)])
