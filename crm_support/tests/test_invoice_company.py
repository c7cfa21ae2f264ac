from freezegun import freeze_time

from odoo.tests import tagged, users

from .common_invoice import InvoiceCase


@tagged("post_install", "-at_install", "crm_support")
class TestInvoiceCompany(InvoiceCase):
    """Invoices on their company: tab, smart button, timeline, last activity;
    and the contract numbers they carry."""

    @users("crm_user1")
    def test_last_activity_and_timeline(self):
        company = self.customer_a.with_user(self.env.user)
        with freeze_time("2025-05-01 10:00:00"):
            invoice = self._create_invoice(
                self.customer_a, user=self.env.user, lines=(80.0,)
            )
        self.assertEqual(str(company.last_activity), "2025-05-01 10:00:00")
        with freeze_time("2025-05-02 09:30:00"):
            invoice.action_mark_paid()
        self.assertEqual(str(company.last_activity), "2025-05-02 09:30:00")

        bodies = company.message_ids.mapped("body")
        self.assertIn(
            f'<p>Invoice <a href="#" data-oe-model="crm_support.invoice" '
            f'data-oe-id="{invoice.id}">T/0001</a> created, total 80.00&nbsp;€.</p>',
            bodies,
        )
        self.assertIn(
            f'<p>Invoice <a href="#" data-oe-model="crm_support.invoice" '
            f'data-oe-id="{invoice.id}">T/0001</a> is now Paid.</p>',
            bodies,
        )

    @users("crm_user1")
    def test_the_company_lists_its_invoices(self):
        first = self._create_invoice(self.customer_a, user=self.env.user)
        second = self._create_invoice(self.customer_a, user=self.env.user)
        self._create_invoice(self.customer_b)
        company = self.customer_a.with_user(self.env.user)
        self.assertEqual(company.invoice_ids, first | second)
        self.assertEqual(company.invoice_count, 2)
        action = company.action_view_invoices()
        self.assertEqual(
            self.env[action["res_model"]].search(action["domain"]), first | second
        )
        self.assertEqual(action["context"]["default_crm_company_id"], company.id)

    def test_language_follows_the_company(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.customer_b.lang = "es_ES"
        invoice = self._create_invoice(self.customer_b)
        self.assertEqual(invoice.lang, "es_ES")
        self.assertEqual(self._create_invoice(self.customer_a).lang, "en_US")
        chosen = self._create_invoice(self.customer_b, lang="en_US")
        self.assertEqual(chosen.lang, "en_US")

    def test_contract_numbers(self):
        invoice = self._create_invoice(
            self.customer_a, contract_numbers=" C-1,C-10 ,, C-1,C_2%"
        )
        self.assertEqual(invoice.contract_numbers, "C-1, C-10, C_2%")
        other = self._create_invoice(self.customer_a, contract_numbers="C-100")
        third = self._create_invoice(self.customer_a, contract_numbers="X, C-10")
        for number, expected in [
            ("C-1", invoice),
            ("C-10", invoice | third),
            ("C-100", other),
            ("C_2%", invoice),
            ("C-2", self.Invoice),
            ("C", self.Invoice),
        ]:
            with self.subTest(number=number):
                domain = self.Invoice._contract_number_domain(number)
                self.assertEqual(self.Invoice.search(domain), expected)
        invoice.contract_numbers = ""
        self.assertFalse(invoice.contract_numbers)
