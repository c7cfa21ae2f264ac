import datetime

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from lxml import etree

from odoo.tests import tagged, users
from odoo.tools.safe_eval import safe_eval

from .common_invoice import InvoiceCase


@tagged("post_install", "-at_install", "crm_support")
class TestInvoiceReporting(InvoiceCase):
    """Unpaid and overdue filters, totals per company, currency and month."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.usd = cls.env.ref("base.USD")
        make = cls._create_invoice
        cls.paid_a = make(
            cls.customer_a,
            lines=(100.0,),
            invoice_date="2025-01-10",
            state="paid",
            payment_date="2025-01-20",
        )
        cls.overdue_a = make(
            cls.customer_a,
            lines=(200.0,),
            invoice_date="2025-02-01",
            due_date="2025-03-01",
        )
        cls.pending_a = make(
            cls.customer_a,
            lines=(300.0,),
            invoice_date="2025-03-05",
            due_date="2025-04-05",
        )
        cls.cancelled_b = make(
            cls.customer_b, lines=(400.0,), invoice_date="2025-03-07", state="cancelled"
        )
        cls.dollars_b = make(cls.customer_b, lines=(50.0,), invoice_date="2025-03-09")
        cls.dollars_b.currency_id = cls.usd
        cls.invoices = (
            cls.paid_a | cls.overdue_a | cls.pending_a | cls.cancelled_b | cls.dollars_b
        )

    def _filter_domain(self, name):
        """The domain of a filter of the search view, as the web client reads it."""
        arch = self.env["crm_support.invoice"].get_views([(False, "search")])
        search = etree.fromstring(arch["views"]["search"]["arch"])
        [node] = search.xpath(f"//filter[@name='{name}']")
        today = datetime.date.today()
        return safe_eval(
            node.get("domain"),
            {
                "context_today": lambda: today,
                "relativedelta": relativedelta,
                "uid": self.env.uid,
            },
        )

    @freeze_time("2025-03-15")
    @users("crm_manager1")
    def test_unpaid_and_overdue_filters(self):
        Invoice = self.env["crm_support.invoice"]
        scope = [("id", "in", self.invoices.ids)]
        for name, expected in [
            ("unpaid", self.overdue_a | self.pending_a | self.dollars_b),
            ("overdue", self.overdue_a),
            ("paid", self.paid_a),
            ("not_cancelled", self.invoices - self.cancelled_b),
        ]:
            with self.subTest(filter=name):
                domain = scope + self._filter_domain(name)
                self.assertEqual(Invoice.search(domain), expected)

    @users("crm_manager1")
    def test_totals_per_company_currency_and_month(self):
        groups = self.env["crm_support.invoice"]._read_group(
            [("id", "in", self.invoices.ids), ("state", "!=", "cancelled")],
            ["crm_company_id", "currency_id", "invoice_date:month"],
            ["amount_total:sum"],
        )
        self.assertEqual(
            {
                (company.name, currency.name, month.strftime("%Y-%m")): total
                for company, currency, month, total in groups
            },
            {
                ("Customer A", "EUR", "2025-01"): 100.0,
                ("Customer A", "EUR", "2025-02"): 200.0,
                ("Customer A", "EUR", "2025-03"): 300.0,
                ("Customer B", "USD", "2025-03"): 50.0,
            },
        )

    @users("crm_user1")
    def test_a_user_totals_only_what_they_read(self):
        groups = self.env["crm_support.invoice"]._read_group(
            [("id", "in", self.invoices.ids)],
            ["currency_id"],
            ["amount_total:sum"],
        )
        self.assertEqual(
            [(currency.name, total) for currency, total in groups], [("EUR", 600.0)]
        )

    @users("crm_manager1")
    def test_pivot_and_graph_views_load(self):
        Invoice = self.env["crm_support.invoice"]
        views = Invoice.get_views([(False, "pivot"), (False, "graph")])["views"]
        pivot = etree.fromstring(views["pivot"]["arch"])
        self.assertEqual(
            [(f.get("name"), f.get("type")) for f in pivot.iter("field")],
            [
                ("currency_id", "row"),
                ("crm_company_id", "row"),
                ("invoice_date", "col"),
                ("amount_total", "measure"),
            ],
        )
        graph = etree.fromstring(views["graph"]["arch"])
        self.assertEqual(
            [f.get("name") for f in graph.iter("field")],
            ["invoice_date", "crm_company_id", "amount_total"],
        )
