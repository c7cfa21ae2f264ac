from psycopg2.errors import UniqueViolation

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged, users
from odoo.tools import mute_logger

from .common_invoice import InvoiceCase


@tagged("post_install", "-at_install", "crm_support")
class TestInvoiceNumbering(InvoiceCase):
    """Invoice numbers from the pattern of the CRM settings."""

    def _numbers(self, count, company=None, **vals):
        invoices = self.Invoice.browse()
        for _index in range(count):
            invoices |= self._create_invoice(company or self.customer_a, **vals)
        return invoices.mapped("invoice_number")

    def test_patterns_and_padding(self):
        for pattern, expected in [
            ("15/[1000]", ["15/1000", "15/1001", "15/1002"]),
            ("INV-[0001]-B", ["INV-0001-B", "INV-0002-B", "INV-0003-B"]),
            ("[8]", ["8", "9", "10"]),
            ("[000]", ["000", "001", "002"]),
            (
                "Fact. 2025 % [099] (ES)",
                [
                    "Fact. 2025 % 099 (ES)",
                    "Fact. 2025 % 100 (ES)",
                    "Fact. 2025 % 101 (ES)",
                ],
            ),
        ]:
            with self.subTest(pattern=pattern):
                self.company.crm_invoice_number_pattern = pattern
                self.assertEqual(self._numbers(3), expected)

    @users("crm_user1")
    def test_numbers_given_at_creation_in_order(self):
        vals = self._invoice_vals(self.customer_a)
        invoices = self.env["crm_support.invoice"].create([vals, vals, vals])
        self.assertEqual(
            invoices.mapped("invoice_number"), ["T/0001", "T/0002", "T/0003"]
        )
        self.assertEqual(invoices.mapped("sequence_number"), [1, 2, 3])
        self.assertEqual(set(invoices.mapped("number_pattern")), {"T/[0001]"})
        self.assertEqual(invoices[0].display_name, "T/0001")

    def test_a_changed_pattern_starts_its_own_sequence(self):
        self.company.crm_invoice_number_pattern = "A/[1]"
        self.assertEqual(self._numbers(2), ["A/1", "A/2"])
        self.company.crm_invoice_number_pattern = "B/[1]"
        self.assertEqual(self._numbers(1), ["B/1"])
        self.company.crm_invoice_number_pattern = "A/[1]"
        self.assertEqual(self._numbers(1), ["A/3"])
        # same text, other padding: another pattern
        self.company.crm_invoice_number_pattern = "A/[01]"
        self.assertEqual(self._numbers(1), ["A/01"])

    @users("crm_user1")
    def test_hand_typed_numbers_are_skipped(self):
        self.assertEqual(self._numbers(1, user=self.env.user), ["T/0001"])
        typed = self._create_invoice(
            self.customer_a, user=self.env.user, invoice_number=" T/0002 "
        )
        self._create_invoice(
            self.customer_a, user=self.env.user, invoice_number="T/0004"
        )
        self.assertEqual(typed.invoice_number, "T/0002")
        self.assertFalse(typed.sequence_number)
        self.assertEqual(
            self._numbers(3, user=self.env.user), ["T/0003", "T/0005", "T/0006"]
        )

    def test_a_number_changed_by_hand_leaves_the_sequence(self):
        first, second = (self._create_invoice(self.customer_a) for _i in range(2))
        second.invoice_number = "SPECIAL-1"
        self.assertFalse(second.sequence_number)
        self.assertFalse(second.number_pattern)
        # T/0002 is free again, so the sequence gives it
        self.assertEqual(self._numbers(1), ["T/0002"])
        self.assertEqual(first.sequence_number, 1)

    def test_received_invoices_carry_the_suppliers_number(self):
        received = self._create_invoice(
            self.customer_b, kind="received", invoice_number="SUP-77"
        )
        self.assertEqual(received.invoice_number, "SUP-77")
        self.assertFalse(received.sequence_number)
        self.assertEqual(self._numbers(1), ["T/0001"])
        with self.assertRefused(ValidationError, "supplier's number"):
            self._create_invoice(self.customer_b, kind="received")

    def test_without_automatic_numbers_the_number_is_typed(self):
        self.company.crm_invoice_auto_number = False
        with self.assertRefused(ValidationError, "automatic invoice numbers"):
            self._create_invoice(self.customer_a)
        invoice = self._create_invoice(self.customer_a, invoice_number="MANUAL-1")
        self.assertEqual(invoice.invoice_number, "MANUAL-1")
        self.company.crm_invoice_auto_number = True
        self.assertEqual(self._numbers(1), ["T/0001"])

    def test_a_number_cannot_be_removed(self):
        invoice = self._create_invoice(self.customer_a)
        with self.assertRefused(ValidationError, "T/0001 cannot be left without"):
            invoice.invoice_number = False
        self.assertEqual(invoice.invoice_number, "T/0001")

    def test_which_numbers_must_be_unique(self):
        sent = self._create_invoice(self.customer_a)
        with self.assertRefused(ValidationError, "T/0001 is already the number"):
            self._create_invoice(self.customer_b, invoice_number="T/0001")

        # each supplier numbers its own invoices: only its own repeat is refused
        self._create_invoice(self.customer_a, kind="received", invoice_number="1")
        self._create_invoice(self.customer_b, kind="received", invoice_number="1")
        with self.assertRefused(ValidationError, "1 is already the number"):
            self._create_invoice(self.customer_b, kind="received", invoice_number="1")
        received = self._create_invoice(
            self.customer_a, kind="received", invoice_number="T/0001"
        )
        self.assertEqual(received.invoice_number, sent.invoice_number)

    def test_the_database_refuses_duplicates_too(self):
        first, second = (self._create_invoice(self.customer_a) for _i in range(2))
        self.env.flush_all()
        with mute_logger("odoo.sql_db"), self.assertRaises(UniqueViolation):
            self.env.cr.execute(
                "UPDATE crm_support_invoice SET invoice_number = %s WHERE id = %s",
                (first.invoice_number, second.id),
            )

    def test_each_odoo_company_has_its_own_series(self):
        other = self.env["res.company"].create(
            {
                "name": "Other Odoo company",
                "crm_invoice_number_pattern": "T/[0001]",
            }
        )
        self.assertEqual(self._numbers(1), ["T/0001"])
        self.assertEqual(self._numbers(1, company_id=other.id), ["T/0001"])
        self.assertEqual(self._numbers(1, company_id=other.id), ["T/0002"])

    def test_bad_patterns_are_refused(self):
        for pattern, message in [
            ("15/1000", "one pair of brackets"),
            ("15/[1000", "one pair of brackets"),
            ("[1]/[2]", "one pair of brackets"),
            ("15/[10a0]", "'10a0' in the brackets is not a number"),
            ("15/[]", "'' in the brackets is not a number"),
            ("15/[-1]", "'-1' in the brackets is not a number"),
            ("", "one pair of brackets"),
        ]:
            with (
                self.subTest(pattern=pattern),
                self.assertRefused(ValidationError, message),
            ):
                self.company.crm_invoice_number_pattern = pattern
                self.company.flush_recordset()
        self.assertEqual(self.company.crm_invoice_number_pattern, "T/[0001]")

    @users("crm_admin")
    def test_settings_form(self):
        settings = Form(self.env["res.config.settings"])
        settings.crm_invoice_number_pattern = "INV-[0001]-B"
        settings.crm_invoice_auto_number = True
        settings.crm_invoice_footer = "<p>Bank: ES00 0000</p>"
        settings.save().execute()
        self.assertEqual(self.company.crm_invoice_number_pattern, "INV-[0001]-B")
        self.assertEqual(str(self.company.crm_invoice_footer), "<p>Bank: ES00 0000</p>")
        self.assertEqual(self._numbers(2), ["INV-0001-B", "INV-0002-B"])

        settings = Form(self.env["res.config.settings"])
        settings.crm_invoice_number_pattern = "INV-0001"
        with self.assertRefused(ValidationError, "one pair of brackets"):
            settings.save().execute()
