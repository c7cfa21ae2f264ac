import threading
import uuid

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install", "crm_support")
class TestInvoiceNumberConcurrency(TransactionCase):
    """Several database connections create sent invoices at the same time.

    Each worker thread opens its own connection and commits one invoice per
    transaction, as concurrent web requests do. What the threads commit is
    real: it is built and removed again in committed transactions of its own
    (the test's transaction cannot be seen by the other connections).
    """

    WORKERS = 4
    PER_WORKER = 25

    def setUp(self):
        super().setUp()
        self.prefix = f"CC{uuid.uuid4().hex[:6]}/"
        self.pattern = f"{self.prefix}[0001]"
        with self.registry.cursor() as cr:
            env = self._env(cr, SUPERUSER_ID)
            company = env.ref("base.main_company")
            saved = {
                "crm_invoice_auto_number": company.crm_invoice_auto_number,
                "crm_invoice_number_pattern": company.crm_invoice_number_pattern,
            }
            company.write(
                {
                    "crm_invoice_auto_number": True,
                    "crm_invoice_number_pattern": self.pattern,
                }
            )
            self.company_id = company.id
            self.admin_id = env.ref("base.user_admin").id
            self.crm_company_ids = (
                env["crm_support.company"]
                .create(
                    [
                        {
                            "name": f"{self.prefix} customer {index}",
                            "owner_id": self.admin_id,
                        }
                        for index in range(self.WORKERS)
                    ]
                )
                .ids
            )
            # numbers typed by hand ahead of the sequence, which must skip them
            env["crm_support.invoice"].create(
                [
                    self._vals(0, invoice_number=f"{self.prefix}{position:04d}")
                    for position in (5, 40)
                ]
            )
        self.addCleanup(self._remove_committed_data, saved)

    def _env(self, cr, uid):
        # the test runner holds the lock of the registry, which Environment
        # takes to look the registry up by name: hand it over instead
        cr.transaction = api.Transaction(self.registry)
        return api.Environment(cr, uid, {"tracking_disable": True})

    def _vals(self, worker, **vals):
        return {
            "crm_company_id": self.crm_company_ids[worker],
            "company_id": self.company_id,
            "line_ids": [Command.create({"name": "Support", "amount": 100.0})],
            **vals,
        }

    def _remove_committed_data(self, saved):
        with self.registry.cursor() as cr:
            env = self._env(cr, SUPERUSER_ID)
            invoices = env["crm_support.invoice"].search(
                [("crm_company_id", "in", self.crm_company_ids)]
            )
            invoices.unlink()
            companies = env["crm_support.company"].browse(self.crm_company_ids)
            partners = companies.partner_id
            companies.unlink()
            partners.unlink()
            env["res.company"].browse(self.company_id).write(saved)

    def _work(self, worker, barrier, rolled_back, failures):
        barrier.wait()
        for count in range(self.PER_WORKER):
            try:
                with self.registry.cursor() as cr:
                    env = self._env(cr, self.admin_id)
                    invoice = env["crm_support.invoice"].create(self._vals(worker))
                    if worker == 1 and count % 5 == 0:
                        # a transaction that fails after taking its number
                        rolled_back.append(invoice.invoice_number)
                        cr.rollback()
            except Exception as error:  # counted, and shown by the test
                failures.append(f"worker {worker}, invoice {count}: {error!r}")

    def test_no_duplicates_no_gaps_no_failures(self):
        barrier = threading.Barrier(self.WORKERS)
        rolled_back, failures = [], []
        threads = [
            threading.Thread(
                target=self._work, args=(worker, barrier, rolled_back, failures)
            )
            for worker in range(self.WORKERS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        self.assertFalse([thread for thread in threads if thread.is_alive()])
        self.assertEqual(failures, [])

        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT invoice_number FROM crm_support_invoice "
                "WHERE crm_company_id = ANY(%s)",
                [self.crm_company_ids],
            )
            numbers = [number for (number,) in cr.fetchall()]
        committed = self.WORKERS * self.PER_WORKER - len(rolled_back) + 2
        self.assertEqual(len(rolled_back), self.PER_WORKER // 5)
        self.assertEqual(len(numbers), committed)
        self.assertEqual(len(set(numbers)), committed, "duplicate numbers")
        # every number from the first one on, including the two typed by hand
        # and those the rolled back transactions had taken for a moment
        self.assertEqual(
            sorted(numbers),
            [f"{self.prefix}{position:04d}" for position in range(1, committed + 1)],
        )
