from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common_invoice import InvoiceCase


@tagged("post_install", "-at_install", "crm_support")
class TestInvoiceVisibility(InvoiceCase):
    """Who reads, creates and changes which invoice (DESIGN.md's table):
    the company owner, and Manage users who may read the company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice_a = cls._create_invoice(cls.customer_a, taxes=(("VAT", 21.0),))
        cls.invoice_b = cls._create_invoice(cls.customer_b, taxes=(("VAT", 21.0),))
        cls.invoice_my = cls._create_invoice(cls.my_company)
        cls.invoices = cls.invoice_a | cls.invoice_b | cls.invoice_my
        # a colleague of user1 with Read rights, and a manager without a home
        # company who owns a third customer of My Company
        cls.reader = new_test_user(
            cls.env, "crm_reader", groups="crm_support.crm_support_group_read"
        )
        cls.reader.crm_company_id = cls.my_company
        cls.homeless = new_test_user(
            cls.env, "crm_homeless", groups="crm_support.crm_support_group_manage"
        )
        cls.customer_c = cls.env["crm_support.company"].create(
            {
                "name": "Customer C",
                "owner_id": cls.homeless.id,
                "parent_company_id": cls.my_company.id,
            }
        )
        cls.invoice_c = cls._create_invoice(cls.customer_c)
        cls.invoices |= cls.invoice_c

    def _visible(self, user):
        Invoice = self.env["crm_support.invoice"].with_user(user)
        return Invoice.search([("id", "in", self.invoices.ids)])

    def test_who_reads_which_invoice(self):
        expected = {
            self.admin: self.invoices,
            # owner of Customer A; reads Customer B, but is not a manager
            self.user1: self.invoice_a,
            # manager reading the customers of the home company, but not My
            # Company itself, which has no parent
            self.manager1: self.invoice_a | self.invoice_b | self.invoice_c,
            self.reader: self.Invoice,
            # manager without a home company: what they own
            self.homeless: self.invoice_c,
        }
        for user, invoices in expected.items():
            with self.subTest(user=user.login):
                Invoice = self.env["crm_support.invoice"].with_user(user)
                domain = [("id", "in", self.invoices.ids)]
                self.assertEqual(self._visible(user), invoices)
                self.assertEqual(Invoice.search_count(domain), len(invoices))
                groups = Invoice.read_group(domain, ["amount_total:sum"], [])
                self.assertEqual(
                    groups[0]["amount_total"] or 0.0,
                    sum(invoices.mapped("amount_total")),
                )
                self.assertEqual(
                    {i for i, _name in Invoice.name_search("T/", limit=None)}
                    & set(self.invoices.ids),
                    set(invoices.ids),
                )
                lines = self.env["crm_support.invoice.line"].with_user(user)
                self.assertEqual(
                    lines.search([("invoice_id", "in", self.invoices.ids)]),
                    invoices.line_ids,
                )
                taxes = self.env["crm_support.invoice.tax"].with_user(user)
                self.assertEqual(
                    taxes.search([("invoice_id", "in", self.invoices.ids)]),
                    invoices.tax_ids,
                )
                for hidden in self.invoices - invoices:
                    with self.assertRaises(AccessError):
                        hidden.with_user(user).read(["amount_total"])

    def test_portal_users_see_no_invoice(self):
        with self.assertRaises(AccessError):
            self.env["crm_support.invoice"].with_user(self.user2).search([])
        with self.assertRaises(AccessError):
            self.invoice_a.with_user(self.user2).read(["invoice_number"])

    def test_who_creates_and_changes_which_invoice(self):
        allowed = {
            self.user1: self.customer_a,
            self.manager1: self.customer_a | self.customer_b | self.customer_c,
            self.homeless: self.customer_c,
        }
        companies = self.customer_a | self.customer_b | self.my_company
        companies |= self.customer_c
        for user, writable in allowed.items():
            for company in companies:
                invoice = self.invoices.filtered(
                    lambda i, company=company: i.crm_company_id == company
                )
                with self.subTest(user=user.login, company=company.name):
                    if company in writable:
                        created = self._create_invoice(company, user=user)
                        self.assertEqual(created.crm_company_id, company)
                        invoice.with_user(user).write({"reference": user.login})
                        self.assertEqual(invoice.reference, user.login)
                    else:
                        with self.assertRaises(AccessError):
                            self._create_invoice(company, user=user)
                        with self.assertRaises(AccessError):
                            invoice.with_user(user).write({"reference": "no"})
        with self.assertRaises(AccessError):
            self._create_invoice(self.customer_a, user=self.reader)

    def test_company_shows_the_invoices_the_user_may_read(self):
        for user, count in ((self.user1, 0), (self.manager1, 1), (self.admin, 1)):
            with self.subTest(user=user.login):
                # as the web client reads it, in a request of its own
                self.env.invalidate_all()
                company = self.customer_b.with_user(user)
                [values] = company.read(["invoice_count", "invoice_ids"])
                self.assertEqual(values["invoice_count"], count)
                self.assertEqual(len(values["invoice_ids"]), count)
