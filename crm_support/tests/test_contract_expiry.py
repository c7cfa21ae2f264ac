from datetime import date

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged, users
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common_contract import CrmSupportContractCase


@tagged("post_install", "-at_install", "crm_support")
class TestContractExpiry(CrmSupportContractCase):
    """Expiry filters and the daily reminder of the company owners."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("crm_support.crm_support_contract_cron_notify_expiry")
        cls.expiry_type = cls.env.ref("crm_support.mail_activity_type_contract_expiry")
        cls.env.company.crm_contract_expiry_days = 30
        # ends on: 2025-03-05, 03-14, 03-25, 05-20, 02-20 (already), none
        cls.ends = {
            cls.contract_a: "2025-03-05",
            cls.contract_a_private: "2025-03-14",
            cls.contract_b: "2025-03-25",
            cls.contract_b_private: "2025-05-20",
            cls.contract_my: "2025-02-20",
        }
        for contract, end in cls.ends.items():
            contract.date_end = end
        cls.open_ended = cls.contract_a.copy({"contract_number": "T-A-OPEN"})
        cls.open_ended.date_end = False
        cls.all_contracts = cls.contracts | cls.open_ended

    def run_cron(self):
        self.cron.method_direct_trigger()

    def reminders(self):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm_support.contract"),
                ("res_id", "in", self.all_contracts.ids),
                ("activity_type_id", "=", self.expiry_type.id),
            ]
        )

    def filtered_by(self, filter_name):
        """Contracts matched by a filter of the search view, as the UI runs it."""
        arch = self.env.ref("crm_support.crm_support_contract_view_search").arch
        node = etree.fromstring(arch).find(f".//filter[@name='{filter_name}']")
        domain = safe_eval(
            node.get("domain"),
            {
                "context_today": lambda: fields.Date.context_today(self.env.user),
                "relativedelta": relativedelta,
            },
        )
        return self.env["crm_support.contract"].search(
            [("id", "in", self.all_contracts.ids), *domain]
        )

    @freeze_time("2025-03-01")
    @users("crm_admin")
    def test_expiry_filters(self):
        a, a_private = self.contract_a, self.contract_a_private
        b, b_private = self.contract_b, self.contract_b_private
        self.assertEqual(self.filtered_by("expires_7_days"), a)
        self.assertEqual(self.filtered_by("expires_15_days"), a | a_private)
        self.assertEqual(self.filtered_by("expires_30_days"), a | a_private | b)
        self.assertEqual(
            self.filtered_by("expires_90_days"), a | a_private | b | b_private
        )
        self.assertEqual(self.filtered_by("expired"), self.contract_my)
        self.assertEqual(self.filtered_by("open_ended"), self.open_ended)

    @freeze_time("2025-03-01")
    def test_one_reminder_per_contract_and_end_date(self):
        self.contract_b.status = "inactive"
        self.run_cron()
        reminders = self.reminders()
        # ends within 30 days and is not inactive; the past and the far away
        # ones, the inactive one and the open-ended one get nothing
        self.assertEqual(
            sorted(reminders.mapped("res_id")),
            sorted((self.contract_a | self.contract_a_private).ids),
        )
        for reminder in reminders:
            contract = self.env["crm_support.contract"].browse(reminder.res_id)
            self.assertEqual(reminder.user_id, self.user1)
            self.assertEqual(reminder.date_deadline, contract.date_end)
            self.assertIn(contract.contract_number, reminder.summary)

        # run again, the same day and the next: nothing new
        self.run_cron()
        with freeze_time("2025-03-02"):
            self.run_cron()
        self.assertEqual(self.reminders(), reminders)

        # a done reminder does not come back either
        reminders[0].action_feedback(feedback="renewal sent")
        self.run_cron()
        self.assertEqual(len(self.reminders()), 1)

        # a new end date is a new reminder
        self.contract_a.date_end = "2025-03-20"
        self.run_cron()
        new = self.reminders() - reminders
        self.assertEqual(new.res_id, self.contract_a.id)
        self.assertEqual(new.date_deadline, date(2025, 3, 20))

    @freeze_time("2025-03-01")
    def test_days_before_the_end_are_configurable(self):
        settings = self.env["res.config.settings"].create(
            {"crm_contract_expiry_days": 7}
        )
        settings.execute()
        self.assertEqual(self.env.company.crm_contract_expiry_days, 7)
        self.run_cron()
        self.assertEqual(self.reminders().mapped("res_id"), self.contract_a.ids)
        with freeze_time("2025-03-20"):
            self.run_cron()
        self.assertEqual(
            sorted(self.reminders().mapped("res_id")),
            sorted((self.contract_a | self.contract_b).ids),
        )
        with self.assertRefused(ValidationError, "-1 days"):
            self.env.company.crm_contract_expiry_days = -1

    @users("crm_user1")
    def test_only_the_scheduler_runs_the_reminder(self):
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.env["crm_support.contract"].cron_notify_expiry()
