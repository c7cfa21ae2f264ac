from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .lead_common import CrmSupportLeadCase


@tagged("post_install", "-at_install", "crm_support")
class TestLeadVisibility(CrmSupportLeadCase):
    """DESIGN.md's lead refinements, per user, through the ORM."""

    def _assert_sees(self, user, expected):
        Lead = self.env["crm.lead"].with_user(user)
        scope = [("id", "in", self.leads.ids)]
        self.assertEqual(Lead.search(scope), expected, f"search as {user.login}")
        self.assertEqual(Lead.search_count(scope), len(expected))
        for lead in expected:
            self.assertEqual(lead.with_user(user).read(["name"])[0]["name"], lead.name)
        for lead in self.leads - expected:
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                lead.with_user(user).read(["name"])

    def _assert_writes(self, user, writable):
        for lead in writable:
            lead.with_user(user).write({"description": f"<p>by {user.login}</p>"})
            self.assertEqual(lead.description, f"<p>by {user.login}</p>")
        for lead in self.leads - writable:
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                lead.with_user(user).write({"description": "<p>refused</p>"})

    def test_managing_company_is_the_owners_home_company(self):
        self.assertEqual(self.lead_a.crm_company_id, self.my_company)
        self.assertEqual(self.lead_other.crm_company_id, self.customer_b)
        self.assertFalse(self.lead_unowned.crm_company_id)
        self.lead_a.user_id = self.user3
        self.assertEqual(self.lead_a.crm_company_id, self.customer_b)
        self.user3.crm_company_id = self.customer_a
        self.assertEqual(self.lead_a.crm_company_id, self.customer_a)

    def test_reader1(self):
        # a Read user reads the leads of the home company; unowned leads are
        # for Write users, who may take them
        self._assert_sees(self.reader1, self.lead_a | self.lead_b)
        self._assert_writes(self.reader1, self.env["crm.lead"])
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.env["crm.lead"].with_user(self.reader1).create({"name": "No"})

    def test_user1(self):
        self._assert_sees(self.user1, self.lead_a | self.lead_b | self.lead_unowned)
        self._assert_writes(self.user1, self.lead_a | self.lead_unowned)

    def test_manager1(self):
        self._assert_sees(self.manager1, self.lead_a | self.lead_b | self.lead_unowned)
        self._assert_writes(
            self.manager1, self.lead_a | self.lead_b | self.lead_unowned
        )
        self.lead_a.with_user(self.manager1).unlink()
        self.assertFalse(self.lead_a.exists())
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.lead_other.with_user(self.manager1).unlink()

    def test_user3_of_another_home_company(self):
        self._assert_sees(self.user3, self.lead_unowned | self.lead_other)
        self._assert_writes(self.user3, self.lead_unowned | self.lead_other)

    def test_user_without_home_company_sees_only_own(self):
        loner = new_test_user(
            self.env, "crm_loner", groups="crm_support.crm_support_group_manage"
        )
        # its own lead, and no lead of an owner without home company either
        own = self.env["crm.lead"].create({"name": "Loner's", "user_id": loner.id})
        orphan_owner = new_test_user(
            self.env, "crm_orphan", groups="crm_support.crm_support_group_write"
        )
        orphan = self.env["crm.lead"].create(
            {"name": "Orphan's", "user_id": orphan_owner.id}
        )
        Lead = self.env["crm.lead"].with_user(loner)
        found = Lead.search([("id", "in", (own | orphan | self.lead_a).ids)])
        self.assertEqual(found, own)

    def test_take_unowned_lead(self):
        lead = self.lead_unowned.with_user(self.user1)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            lead.write({"user_id": self.manager1.id})
        lead.write({"user_id": self.user1.id})
        self.assertEqual(self.lead_unowned.user_id, self.user1)
        self.assertEqual(self.lead_unowned.crm_company_id, self.my_company)
        # now it is user1's: user3 no longer reads it
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.lead_unowned.with_user(self.user3).read(["name"])

    def test_manager_assigns_unowned_lead(self):
        self.lead_unowned.with_user(self.manager1).user_id = self.user1
        self.assertEqual(self.lead_unowned.user_id, self.user1)

    def test_write_user_creates_own_or_unowned_only(self):
        Lead = self.env["crm.lead"].with_user(self.user1)
        self.assertEqual(Lead.create({"name": "Mine"}).user_id, self.user1)
        self.assertFalse(Lead.create({"name": "Open", "user_id": False}).user_id)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            Lead.create({"name": "For user3", "user_id": self.user3.id})

    def test_sales_groups_keep_their_own_rules(self):
        # a salesperson of Odoo's Sales app without a CRM group is untouched
        # by the CRM rules: own and unassigned leads, as Odoo ships them
        salesman = new_test_user(
            self.env, "crm_salesman", groups="sales_team.group_sale_salesman"
        )
        salesman.crm_company_id = self.my_company
        self._assert_sees(salesman, self.lead_unowned)
        # in both, a user gets the union of both sets of rules
        salesman.groups_id += self.env.ref("crm_support.crm_support_group_read")
        self._assert_sees(salesman, self.lead_a | self.lead_b | self.lead_unowned)
