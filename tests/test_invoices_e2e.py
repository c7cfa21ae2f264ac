"""The invoices of the demo database, from outside, as the issue tells it.

user1 issues two sent invoices for Customer A, which get consecutive numbers
from the demo pattern 15/[1000]; prints one in Spanish (the PDF of a real
server, read back with pdftotext); marks it paid and finds it in Customer A's
paid total; user2, a portal user of Customer A, sees none of it. The
administrator deletes the two invoices at the end, which gives their numbers
back to the sequence, so the demo data is left as it was found.
"""

import re
import subprocess
import xmlrpc.client
from pathlib import Path

import pytest

HARNESS = Path(__file__).with_name("conftest.py")

INVOICE = "crm_support.invoice"


def paid_total(client, company_id):
    groups = client.call(
        INVOICE,
        "read_group",
        [("crm_company_id", "=", company_id), ("state", "=", "paid")],
        ["amount_total:sum"],
        ["currency_id"],
        lazy=False,
    )
    return {group["currency_id"][1]: group["amount_total"] for group in groups}


@pytest.mark.skipif(
    not HARNESS.exists(), reason="needs the end-to-end harness of tests/conftest.py"
)
def test_user1_invoices_customer_a(xmlrpc_login, demo_ref, web_session, odoo_server):
    admin = xmlrpc_login("admin", "admin")
    user1 = xmlrpc_login("user1", "user1")
    user2 = xmlrpc_login("user2", "user2")
    customer_a = demo_ref("crm_support.crm_support_company_customer_a_demo")
    [euro] = admin.call("res.currency", "search", [("name", "=", "EUR")])
    vals = {
        "crm_company_id": customer_a,
        "currency_id": euro,
        "lang": "es_ES",
        "line_ids": [[0, 0, {"name": "Soporte mensual", "amount": 250.0}]],
        "tax_ids": [[0, 0, {"name": "IVA", "percent": 21.0}]],
        "internal_note": "e2e internal note, never printed",
    }
    paid_before = paid_total(user1, customer_a).get("EUR", 0.0)
    created = []
    try:
        created = [user1.call(INVOICE, "create", vals) for _index in range(2)]
        rows = user1.call(INVOICE, "read", created, ["invoice_number", "amount_total"])
        positions = [
            int(re.fullmatch(r"15/(\d{4,})", row["invoice_number"])[1]) for row in rows
        ]
        assert positions[1] == positions[0] + 1
        assert [row["amount_total"] for row in rows] == [302.5, 302.5]

        # the PDF, as the web client downloads it
        session = web_session("user1", "user1")
        with session._opener.open(
            f"{odoo_server}/report/pdf/crm_support.report_invoice/{created[0]}",
            timeout=300,
        ) as response:
            assert response.headers["Content-Type"] == "application/pdf"
            pdf = response.read()
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout.decode()
        text = " ".join(text.replace("\u200b", "").replace("\xa0", " ").split())
        assert f"Factura {rows[0]['invoice_number']}" in text
        assert "Fecha de factura" in text
        assert "Total 302,50 €" in text
        assert "never printed" not in text

        assert user1.call(INVOICE, "action_mark_paid", [created[0]]) is True
        assert paid_total(user1, customer_a)["EUR"] == pytest.approx(
            paid_before + 302.5
        )

        with pytest.raises(xmlrpc.client.Fault) as refusal:
            user2.call(INVOICE, "search", [("id", "in", created)])
        assert refusal.value.kind == "AccessError"
    finally:
        if created:
            admin.call(INVOICE, "unlink", created)
