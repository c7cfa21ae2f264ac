from odoo.tests import Form, tagged

from .lead_common import CrmSupportLeadCase


@tagged("post_install", "-at_install", "crm_support")
class TestLeadViews(CrmSupportLeadCase):
    """CRM users without a Sales group work in Odoo's own lead views."""

    def _pipeline(self, user):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_support.crm_lead_action"
        )
        Lead = self.env["crm.lead"].with_user(user)
        views = Lead.get_views([(False, "kanban"), (False, "list"), (False, "form")])
        self.assertEqual(set(views["views"]), {"kanban", "list", "form"})
        fields = ["name", "stage_id", "user_id", "crm_progress", "is_email_duplicate"]
        return Lead.web_search_read(
            action.get("domain") or [],
            {name: {} for name in fields},
        )["records"]

    def test_pipeline_of_user1(self):
        names = {record["name"] for record in self._pipeline(self.user1)}
        self.assertTrue({"Lead A", "Lead B", "Unowned lead"} <= names)
        self.assertNotIn("Lead of another home company", names)

    def test_user1_moves_a_lead_in_the_form(self):
        meeting = self.env.ref("crm_support.crm_stage_meeting_arranged")
        with Form(self.lead_a.with_user(self.user1)) as form:
            form.stage_id = meeting
            form.expected_revenue = 1500
        self.assertEqual(self.lead_a.crm_progress, 20)
        self.assertEqual(self.lead_a.expected_revenue, 1500)

    def test_user1_creates_a_lead_in_the_form(self):
        form = Form(self.env["crm.lead"].with_user(self.user1))
        form.name = "From the form"
        form.email_from = "contact.a@customer-a.example.com"
        lead = form.save()
        self.assertEqual(lead.user_id, self.user1)
        self.assertEqual(lead.crm_company_id, self.my_company)
        self.assertEqual(lead.type, "opportunity")

    def test_reader_opens_the_form(self):
        form = Form(self.lead_b.with_user(self.reader1))
        self.assertEqual(form.name, "Lead B")
        self._pipeline(self.reader1)
