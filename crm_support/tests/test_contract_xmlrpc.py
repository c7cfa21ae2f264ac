from xmlrpc.client import Fault

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common_contract import CrmSupportContractCase


@tagged("post_install", "-at_install", "crm_support")
class TestContractXmlrpc(CrmSupportContractCase, HttpCase):
    """Contracts over XML-RPC: what the web client gets, and refused input."""

    def call(self, user, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            user.id,
            user.login,
            "crm_support.contract",
            method,
            list(args),
            kwargs,
        )

    def vals(self, **vals):
        return {
            "name": "Over XML-RPC",
            "contract_number": "T-RPC-1",
            "crm_company_id": self.customer_a.id,
            "type_id": self.licence.id,
            "date_start": "2025-01-01",
            **vals,
        }

    def test_write_user_creates_and_reads_over_xmlrpc(self):
        contract_id = self.call(
            self.user1,
            "create",
            self.vals(properties={"licences": 3, "support_level": "standard"}),
        )
        [read] = self.call(
            self.user1, "read", [contract_id], ["contract_number", "properties"]
        )
        self.assertEqual(read["contract_number"], "T-RPC-1")
        self.assertEqual(
            {field["name"]: field["value"] for field in read["properties"]},
            {"licences": 3, "support_level": "standard"},
        )
        self.assertEqual(
            sorted(self.call(self.user1, "search", [("crm_company_id", "!=", False)])),
            sorted(
                [
                    *(self.contract_a | self.contract_a_private | self.contract_b).ids,
                    contract_id,
                ]
            ),
        )

    @mute_logger("odoo.http")
    def test_refused_input_leaves_nothing_behind(self):
        count = self.env["crm_support.contract"].search_count([])
        for vals, message in [
            (self.vals(properties={"licences": "three"}), "Licences"),
            (self.vals(date_end="2024-01-01"), "End Date"),
            (self.vals(contract_number="T-B-2"), "T-B-2 is already"),
            (self.vals(type_id=999999999), "Contract Type: there is no"),
        ]:
            with self.subTest(message=message), self.assertRaises(Fault) as caught:
                self.call(self.user1, "create", vals)
            self.assertIn(message, caught.exception.faultString)
        self.assertEqual(self.env["crm_support.contract"].search_count([]), count)

    @mute_logger("odoo.http")
    def test_portal_user_gets_nothing(self):
        with self.assertRaises(Fault) as caught:
            self.call(self.user2, "search_read", [], ["name"])
        self.assertIn(
            "not allowed to access 'Support Contract'", caught.exception.faultString
        )
