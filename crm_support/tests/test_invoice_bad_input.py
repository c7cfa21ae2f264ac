from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged, users

from .common_invoice import InvoiceCase


@tagged("post_install", "-at_install", "crm_support")
class TestInvoiceBadInput(InvoiceCase):
    """Refused with a message naming the field and the invoice; nothing saved."""

    def _counts(self):
        return tuple(
            self.env[model].search_count([])
            for model in (
                "crm_support.invoice",
                "crm_support.invoice.line",
                "crm_support.invoice.tax",
            )
        )

    @users("crm_user1")
    def test_percentages_outside_0_to_100(self):
        before = self._counts()
        for vals, message in [
            ({"discount_percent": 101.0}, "Discount (%) of invoice"),
            ({"discount_percent": -5.0}, "not -5.0"),
            ({"retention_percent": 150.0}, "Retention (%) of invoice"),
            ({"taxes": (("VAT", 21.0), ("Bad tax", -1.0))}, "Tax Bad tax of invoice"),
            ({"taxes": (("Bad tax", 100.5),)}, "between 0 and 100, not 100.5"),
        ]:
            with self.subTest(vals=vals), self.assertRefused(ValidationError, message):
                self._create_invoice(self.customer_a, user=self.env.user, **vals)
        self.assertEqual(self._counts(), before)

        # the refused invoices took no number
        invoice = self._create_invoice(self.customer_a, user=self.env.user)
        with self.assertRefused(ValidationError, "Discount (%) of invoice T/0001"):
            invoice.discount_percent = 100.01
        with self.assertRefused(ValidationError, "Tax VAT of invoice T/0001"):
            invoice.write(
                {"tax_ids": [Command.create({"name": "VAT", "percent": 200})]}
            )
        self.assertEqual((invoice.discount_percent, len(invoice.tax_ids)), (0.0, 0))

    @users("crm_user1")
    def test_payment_date_only_on_paid_invoices(self):
        with self.assertRefused(ValidationError, "is not paid, so it cannot have"):
            self._create_invoice(
                self.customer_a, user=self.env.user, payment_date="2025-01-10"
            )
        invoice = self._create_invoice(self.customer_a, user=self.env.user)
        with self.assertRefused(ValidationError, "Payment date: invoice T/0001"):
            invoice.payment_date = "2025-01-10"
        invoice.action_mark_paid()
        self.assertEqual(invoice.state, "paid")
        self.assertTrue(invoice.payment_date)
        # back to pending: the payment date goes with the paid status
        invoice.action_mark_pending()
        self.assertFalse(invoice.payment_date)
        with self.assertRefused(ValidationError, "cannot have a payment date"):
            invoice.write({"state": "cancelled", "payment_date": "2025-01-10"})
        self.assertEqual(invoice.state, "pending")

    def test_due_date_before_the_invoice_date(self):
        with self.assertRefused(ValidationError, "Due date: 2025-01-01 is before"):
            self._create_invoice(
                self.customer_a, invoice_date="2025-02-01", due_date="2025-01-01"
            )

    def test_a_duplicate_number_leaves_nothing_behind(self):
        self._create_invoice(self.customer_a, invoice_number="DUP-1")
        before = self._counts()
        with self.assertRefused(ValidationError, "DUP-1 is already the number"):
            self.Invoice.create(
                [
                    self._invoice_vals(self.customer_a),
                    self._invoice_vals(self.customer_b, invoice_number="DUP-1"),
                ]
            )
        # two new ones with the same number in a single call
        with self.assertRefused(ValidationError, "DUP-2 is already the number"):
            self.Invoice.create(
                [
                    self._invoice_vals(self.customer_a, invoice_number="DUP-2"),
                    self._invoice_vals(self.customer_b, invoice_number="DUP-2"),
                ]
            )
        self.assertEqual(self._counts(), before)
        # the refused invoices did not use a number of the sequence
        self.assertEqual(self._create_invoice(self.customer_a).invoice_number, "T/0001")

    def test_links_to_records_that_do_not_exist(self):
        for vals, message in [
            ({"crm_company_id": 999999}, "Company: there is no CRM Company with id"),
            ({"currency_id": 999999}, "Currency: there is no Currency with id"),
            ({"locked_by_id": 999999}, "Locked By: there is no User with id"),
        ]:
            with self.subTest(vals=vals), self.assertRefused(ValidationError, message):
                self.Invoice.create({**self._invoice_vals(self.customer_a), **vals})

    def test_messages_are_translated(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["ir.module.module"]._load_module_terms(["crm_support"], ["es_ES"])
        invoice = self._create_invoice(self.customer_a).with_context(lang="es_ES")
        with self.assertRefused(ValidationError, "Descuento (%) de la factura T/0001"):
            invoice.discount_percent = 120.0
        with self.assertRefused(ValidationError, "no está pagada"):
            invoice.payment_date = "2025-01-10"
        company = self.company.with_context(lang="es_ES")
        with self.assertRefused(ValidationError, "entre un par de corchetes"):
            company.crm_invoice_number_pattern = "15/1000"
