from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged, users
from odoo.tools import mute_logger

from .lead_common import CrmSupportLeadCase


@tagged("post_install", "-at_install", "crm_support")
class TestLeadProgress(CrmSupportLeadCase):
    """Integria's progress values on stages, lost reasons and leads."""

    def test_shipped_values(self):
        stages = self.env["crm.stage"].search([("crm_progress", "!=", False)])
        self.assertEqual(
            sorted(int(stage.crm_progress) for stage in stages),
            [0, 20, 40, 60, 80, 200],
        )
        won = stages.filtered("is_won")
        self.assertEqual(won.crm_progress, "200")
        reasons = self.env["crm.lost.reason"].search([("crm_progress", "!=", False)])
        self.assertEqual(sorted(reasons.mapped("crm_progress")), ["100", "101", "102"])

    def test_renamed_stage_keeps_its_number(self):
        stage = self.env["crm.stage"].search([("crm_progress", "=", "40")])
        stage.name = "Qualified by us"
        self.lead_a.crm_progress = 40
        self.assertEqual(self.lead_a.stage_id, stage)
        self.assertEqual(self.lead_a.stage_id.name, "Qualified by us")

    def test_number_is_unique(self):
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env["crm.stage"].create({"name": "Twin", "crm_progress": "20"})
            self.env.flush_all()

    @users("crm_user1")
    def test_progress_moves_the_lead(self):
        lead = self.lead_a.with_user(self.env.user)
        self.assertEqual(lead.crm_progress, 0)
        lead.crm_progress = 60
        self.assertEqual(lead.stage_id.crm_progress, "60")
        lead.action_set_won()
        self.assertEqual(lead.crm_progress, 200)
        lead.crm_progress = 101
        self.assertFalse(lead.active)
        self.assertEqual(lead.lost_reason_id.crm_progress, "101")
        self.assertEqual(lead.crm_progress, 101)
        lead.crm_progress = 20
        self.assertTrue(lead.active)
        self.assertEqual(lead.stage_id.crm_progress, "20")

    @users("crm_user1")
    def test_lost_wizard_gives_the_reason_number(self):
        reason = self.env.ref("crm_support.crm_lost_reason_no_response")
        wizard = self.env["crm.lead.lost"].create(
            {"lead_ids": self.lead_a.ids, "lost_reason_id": reason.id}
        )
        wizard.action_lost_reason_apply()
        self.assertEqual(self.lead_a.crm_progress, 100)
        # a reason of Odoo's own, without a number, is "Closed, lost"
        self.lead_a.action_unarchive()
        self.lead_a.action_set_lost(lost_reason_id=self.env.ref("crm.lost_reason_1").id)
        self.assertEqual(self.lead_a.crm_progress, 101)

    def test_invalid_progress(self):
        with self.assertRaisesRegex(ValidationError, "Integria Progress: 50"):
            self.lead_a.crm_progress = 50

    @users("crm_user1")
    def test_create_with_progress(self):
        # as imports and XML-RPC clients give it
        lead = self.env["crm.lead"].create({"name": "Imported", "crm_progress": 80})
        self.assertEqual(lead.stage_id.crm_progress, "80")
        lost = self.env["crm.lead"].create({"name": "Dead", "crm_progress": 100})
        self.assertFalse(lost.active)
        self.assertEqual(lost.lost_reason_id.crm_progress, "100")
