from xmlrpc.client import Fault

from odoo.tests import HttpCase, get_db_name, tagged

from .common_invoice import InvoiceCase


@tagged("post_install", "-at_install", "crm_support")
class TestInvoiceXmlRpc(InvoiceCase, HttpCase):
    """Over XML-RPC, through a real HTTP request, the same rules as in the UI."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.db = get_db_name()

    def _call(self, user, model, method, *args, **kwargs):
        uid = self.xmlrpc_common.authenticate(self.db, user.login, user.login, {})
        return self.xmlrpc_object.execute_kw(
            self.db, uid, user.login, model, method, list(args), kwargs
        )

    def test_create_number_lock_and_refuse(self):
        vals = {
            "crm_company_id": self.customer_a.id,
            "currency_id": self.eur.id,
            "line_ids": [[0, 0, {"name": "Support", "amount": 100.0}]],
            "tax_ids": [[0, 0, {"name": "VAT", "percent": 21.0}]],
        }
        first = self._call(self.user1, "crm_support.invoice", "create", vals)
        second = self._call(self.user1, "crm_support.invoice", "create", vals)
        read = self._call(
            self.user1,
            "crm_support.invoice",
            "read",
            [first, second],
            fields=["invoice_number", "amount_total"],
        )
        self.assertEqual(
            [(row["invoice_number"], row["amount_total"]) for row in read],
            [("T/0001", 121.0), ("T/0002", 121.0)],
        )

        self.assertTrue(
            self._call(self.user1, "crm_support.invoice", "action_lock", [first])
        )
        with self.assertRaisesRegex(Fault, "doesn't have 'write' access"):
            self._call(
                self.manager1,
                "crm_support.invoice",
                "write",
                [first],
                {"reference": "X"},
            )
        with self.assertRaisesRegex(Fault, "doesn't have 'write' access"):
            self._call(self.manager1, "crm_support.invoice", "action_unlock", [first])
        # the manager still reads it, and changes the unlocked one
        self.assertEqual(
            self._call(
                self.manager1, "crm_support.invoice", "search", [("id", "=", first)]
            ),
            [first],
        )
        self._call(
            self.manager1, "crm_support.invoice", "write", [second], {"reference": "Y"}
        )
        self.assertTrue(
            self._call(self.user1, "crm_support.invoice", "action_unlock", [first])
        )
        self.assertTrue(
            self._call(self.user1, "crm_support.invoice", "action_mark_paid", [first])
        )
        self._call(
            self.manager1, "crm_support.invoice", "write", [first], {"reference": "Z"}
        )
        invoices = self.Invoice.browse([first, second])
        self.assertEqual(invoices.mapped("reference"), ["Z", "Y"])
        self.assertEqual(invoices.mapped("state"), ["paid", "pending"])

        with self.assertRaisesRegex(Fault, "not allowed to delete 'CRM Invoice'"):
            self._call(self.manager1, "crm_support.invoice", "unlink", [first])
        with self.assertRaisesRegex(Fault, "not allowed to access 'CRM Invoice'"):
            self._call(self.user2, "crm_support.invoice", "search", [])
        with self.assertRaisesRegex(Fault, "T/0001 is already the number"):
            self._call(
                self.user1,
                "crm_support.invoice",
                "create",
                dict(vals, invoice_number="T/0001"),
            )
