from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged, users

from .common_invoice import InvoiceCase


@tagged("post_install", "-at_install", "crm_support")
class TestInvoiceLocking(InvoiceCase):
    """Locks keep an invoice to the user who locked it; admins delete."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice_a = cls._create_invoice(
            cls.customer_a, lines=(100.0,), taxes=(("VAT", 21.0),)
        )
        cls.invoice_b = cls._create_invoice(cls.customer_b)

    def _as(self, user, invoice=None):
        return (invoice or self.invoice_a).with_user(user)

    @users("crm_user1")
    def test_the_locker_keeps_changing_it(self):
        invoice = self._as(self.env.user)
        invoice.action_lock()
        self.assertEqual(invoice.locked_by_id, self.user1)
        self.assertFalse(invoice.is_locked_by_other)
        invoice.write(
            {
                "reference": "PO-1",
                "line_ids": [Command.create({"name": "More", "amount": 50.0})],
            }
        )
        invoice.tax_ids.percent = 10.0
        self.assertEqual(invoice.amount_total, 165.0)
        invoice.action_unlock()
        self.assertFalse(invoice.locked_by_id)

    def test_others_may_read_but_not_change_or_unlock(self):
        self._as(self.user1).action_lock()
        # manager1 may change Customer A's invoices, but not this locked one
        invoice = self._as(self.manager1)
        self.assertTrue(invoice.is_locked_by_other)
        self.assertEqual(invoice.reference, False)
        for change in (
            lambda: invoice.write({"reference": "PO-2"}),
            lambda: invoice.action_unlock(),
            lambda: invoice.action_mark_paid(),
            lambda: invoice.write({"line_ids": [Command.create({"name": "X"})]}),
            lambda: invoice.line_ids.write({"amount": 1.0}),
            lambda: invoice.line_ids.unlink(),
            lambda: invoice.tax_ids.write({"percent": 1.0}),
            lambda: invoice.env["crm_support.invoice.line"].create(
                {"invoice_id": invoice.id, "name": "X"}
            ),
        ):
            with self.subTest(change=change), self.assertRaises(AccessError):
                change()
        with self.assertRefused(UserError, "already locked by crm_user1"):
            invoice.action_lock()
        self.assertEqual(
            (
                self.invoice_a.reference,
                self.invoice_a.amount_total,
                self.invoice_a.state,
            ),
            (False, 121.0, "pending"),
        )

    def test_administrators_change_and_unlock_it(self):
        self._as(self.user1).action_lock()
        invoice = self._as(self.admin)
        invoice.reference = "PO-3"
        invoice.action_unlock()
        self.assertFalse(invoice.locked_by_id)
        # unlocked, the manager may change it again
        self._as(self.manager1).reference = "PO-4"
        self.assertEqual(self.invoice_a.reference, "PO-4")

    @users("crm_user1")
    def test_nobody_locks_for_someone_else(self):
        invoice = self._as(self.env.user)
        with self.assertRefused(UserError, "for yourself only"):
            invoice.write({"locked_by_id": self.manager1.id})
        self.assertFalse(self.invoice_a.locked_by_id)

    def test_only_administrators_delete_invoices(self):
        for user, invoice in (
            (self.user1, self.invoice_a),
            (self.manager1, self.invoice_a),
            (self.manager1, self.invoice_b),
        ):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._as(user, invoice).unlink()
        self.assertTrue(self.invoice_a.exists())
        # a locked invoice too: deleting is the administrator's call
        self._as(self.user1).action_lock()
        self._as(self.admin).unlink()
        self.assertFalse(self.invoice_a.exists())

    def test_a_company_with_invoices_cannot_be_deleted(self):
        for user in (self.manager1, self.admin):
            with (
                self.subTest(user=user.login),
                self.assertRefused(UserError, "Customer B has invoices"),
            ):
                self.customer_b.with_user(user).unlink()
        self.assertTrue(self.customer_b.exists())
        self._as(self.admin, self.invoice_b).unlink()
        self.customer_b.with_user(self.manager1).unlink()
        self.assertFalse(self.customer_b.exists())
