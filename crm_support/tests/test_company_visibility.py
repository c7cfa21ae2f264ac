from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import CrmSupportCase


@tagged("post_install", "-at_install", "crm_support")
class TestCompanyVisibility(CrmSupportCase):
    """Every cell of DESIGN.md's table, through the ORM, per user."""

    def _companies(self, user):
        return self.env["crm_support.company"].with_user(user)

    def _assert_sees(self, user, expected):
        """Read, search, count, group-by and name search agree on ``expected``."""
        Company = self._companies(user)
        scope = [
            ("id", "in", (self.my_company | self.customer_a | self.customer_b).ids)
        ]
        found = Company.search(scope)
        self.assertEqual(found, expected, f"search as {user.login}")
        self.assertEqual(Company.search_count(scope), len(expected))
        groups = Company.read_group(scope, ["owner_id"], ["owner_id"])
        self.assertEqual(
            sum(group["owner_id_count"] for group in groups), len(expected)
        )
        names = {name for _id, name in Company.name_search("", args=scope)}
        self.assertEqual(names, set(expected.mapped("name")))
        for company in expected:
            self.assertEqual(
                company.with_user(user).read(["name"])[0]["name"], company.name
            )
        for company in (self.my_company | self.customer_a | self.customer_b) - expected:
            with self.assertRaises(AccessError):
                company.with_user(user).read(["name"])

    def _assert_writes(self, user, writable, readable):
        for company in writable:
            company.with_user(user).write({"comment": f"<p>by {user.login}</p>"})
            self.assertEqual(company.comment, f"<p>by {user.login}</p>")
        for company in readable - writable:
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                company.with_user(user).write({"comment": "<p>refused</p>"})

    # --- read, search, count, group by, name search ----------------------

    def test_read_user1(self):
        self._assert_sees(self.user1, self.customer_a | self.customer_b)

    def test_read_manager1(self):
        self._assert_sees(self.manager1, self.customer_a | self.customer_b)

    def test_read_admin(self):
        self._assert_sees(
            self.admin, self.customer_a | self.customer_b | self.my_company
        )

    def test_read_user2_portal(self):
        Company = self._companies(self.user2)
        for call in (
            lambda: Company.search([]),
            lambda: Company.search_count([]),
            lambda: Company.read_group([], ["owner_id"], ["owner_id"]),
            lambda: Company.name_search(""),
            lambda: self.customer_a.with_user(self.user2).read(["name"]),
        ):
            with self.assertRaises(AccessError):
                call()

    # --- write -----------------------------------------------------------

    def test_write_user1_own_only(self):
        self._assert_writes(
            self.user1, self.customer_a, self.customer_a | self.customer_b
        )

    def test_write_manager1_colleagues(self):
        self._assert_writes(
            self.manager1,
            self.customer_a | self.customer_b,
            self.customer_a | self.customer_b,
        )

    def test_write_admin_everything(self):
        everything = self.my_company | self.customer_a | self.customer_b
        self._assert_writes(self.admin, everything, everything)

    def test_write_user2_portal(self):
        with self.assertRaises(AccessError):
            self.customer_a.with_user(self.user2).write({"comment": "<p>no</p>"})

    def test_read_only_group(self):
        reader = new_test_user(
            self.env,
            "crm_reader",
            groups="crm_support.crm_support_group_read",
            crm_company_id=self.my_company.id,
        )
        self._assert_sees(reader, self.customer_a | self.customer_b)
        self._assert_writes(reader, self.env["crm_support.company"], self.customer_a)
        with self.assertRaises(AccessError):
            self._companies(reader).create({"name": "Not mine to create"})

    def test_is_readonly_matches_rules(self):
        for user, writable in (
            (self.user1, self.customer_a),
            (self.manager1, self.customer_a | self.customer_b),
        ):
            companies = (self.customer_a | self.customer_b).with_user(user)
            self.assertEqual(
                companies.filtered(lambda c: not c.is_readonly).ids,
                writable.ids,
                user.login,
            )

    # --- create ----------------------------------------------------------

    def test_create_user1_owns_it(self):
        company = self._companies(self.user1).create(
            {"name": "New Customer", "parent_company_id": self.my_company.id}
        )
        self.assertEqual(company.owner_id, self.user1)
        self.assertTrue(company.partner_id.is_company)
        # a colleague reads it, a colleague without Manage cannot change it
        self.assertEqual(company.with_user(self.manager1).name, "New Customer")
        company.with_user(self.manager1).write({"name": "Renamed"})

    def test_create_user1_for_someone_else_refused(self):
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self._companies(self.user1).create(
                {"name": "For manager", "owner_id": self.manager1.id}
            )

    def test_create_manager1_for_colleague(self):
        company = self._companies(self.manager1).create(
            {
                "name": "Assigned",
                "owner_id": self.user1.id,
                "parent_company_id": self.my_company.id,
            }
        )
        self.assertFalse(company.with_user(self.user1).is_readonly)

    def test_create_user2_portal(self):
        with self.assertRaises(AccessError):
            self._companies(self.user2).create({"name": "Portal company"})

    # --- delete ----------------------------------------------------------

    def test_delete_user1_refused_even_own(self):
        with self.assertRaises(AccessError):
            self.customer_a.with_user(self.user1).unlink()

    def test_delete_manager1_colleague(self):
        partner = self.customer_a.partner_id
        self.customer_a.with_user(self.manager1).unlink()
        self.assertFalse(self.customer_a.exists())
        # the address book keeps the partner: it may be used elsewhere in Odoo
        self.assertTrue(partner.exists())

    def test_delete_manager1_not_readable(self):
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.my_company.with_user(self.manager1).unlink()

    def test_delete_user2_portal(self):
        with self.assertRaises(AccessError):
            self.customer_b.with_user(self.user2).unlink()

    # --- contacts --------------------------------------------------------

    def test_contacts_follow_company(self):
        Partner = self.env["res.partner"]
        contacts = self.contact_a | self.contact_b | self.contact_user2
        for user in (self.user1, self.manager1, self.admin):
            found = Partner.with_user(user).search([("crm_company_id", "!=", False)])
            self.assertEqual(found & contacts, contacts, user.login)
            self.assertEqual(
                self.contact_a.with_user(user).crm_company_id, self.customer_a
            )

    def test_contacts_hidden_with_company(self):
        hidden = self.env["crm_support.company"].create(
            {
                "name": "Hidden",
                "owner_id": self.admin.id,
                "child_ids": [Command.create({"name": "Hidden contact"})],
            }
        )
        found = (
            self.env["res.partner"]
            .with_user(self.user1)
            .search([("crm_company_id", "!=", False)])
        )
        self.assertNotIn(hidden.child_ids, found)
        self.assertFalse(hidden.child_ids.with_user(self.user1).crm_company_id)
        # Odoo's address book itself is unchanged
        self.assertEqual(
            hidden.child_ids.with_user(self.user1).read(["name"])[0]["name"],
            "Hidden contact",
        )

    def test_contacts_added_only_by_writers(self):
        self.customer_a.with_user(self.user1).write(
            {"child_ids": [Command.create({"name": "Added by owner"})]}
        )
        self.assertIn("Added by owner", self.customer_a.child_ids.mapped("name"))
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.customer_b.with_user(self.user1).write(
                {"child_ids": [Command.create({"name": "Added by stranger"})]}
            )
        self.customer_b.with_user(self.manager1).write(
            {"child_ids": [Command.create({"name": "Added by manager"})]}
        )
        self.assertIn("Added by manager", self.customer_b.child_ids.mapped("name"))

    def test_contacts_user2_no_crm_data(self):
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.user2).search(
                [("crm_company_id", "!=", False)]
            )

    # --- corner cases ----------------------------------------------------

    def test_grandchild_company(self):
        outsider_home = self.env["crm_support.company"].create(
            {"name": "Outsider home", "owner_id": self.admin.id}
        )
        outsider = new_test_user(
            self.env,
            "crm_outsider",
            groups="crm_support.crm_support_group_write",
            crm_company_id=outsider_home.id,
        )
        grandchild = self.env["crm_support.company"].create(
            {
                "name": "Grandchild",
                "owner_id": outsider.id,
                "parent_company_id": self.customer_b.id,
            }
        )
        # in My Company's tree: My Company's people read it
        self._assert_in(self.user1, grandchild)
        self._assert_in(self.manager1, grandchild)
        self.assertFalse(grandchild.with_user(self.manager1).is_readonly)
        self.assertTrue(grandchild.with_user(self.user1).is_readonly)
        # the outsider owns it but reads nothing else of the tree
        self._assert_in(outsider, grandchild)
        self.assertFalse(
            self._companies(outsider).search([("id", "=", self.customer_b.id)])
        )

    def test_user_without_home_company(self):
        loner = new_test_user(
            self.env, "crm_loner", groups="crm_support.crm_support_group_manage"
        )
        other_loner = new_test_user(
            self.env, "crm_loner2", groups="crm_support.crm_support_group_write"
        )
        own = self.env["crm_support.company"].create(
            {"name": "Loner's own", "owner_id": loner.id}
        )
        # owned by another user without home company, with a parent: must not
        # match "owner has no home company either"
        theirs = self.env["crm_support.company"].create(
            {
                "name": "Other loner's",
                "owner_id": other_loner.id,
                "parent_company_id": self.my_company.id,
            }
        )
        found = self._companies(loner).search([])
        self.assertEqual(found, own)
        self.assertNotIn(theirs, found)
        self.assertEqual(self._companies(other_loner).search([]), theirs)

    def test_company_without_parent(self):
        orphan = self.env["crm_support.company"].create(
            {"name": "No parent", "owner_id": self.manager1.id}
        )
        self._assert_in(self.manager1, orphan)
        self.assertNotIn(orphan, self._companies(self.user1).search([]))
        self.assertIn(orphan, self._companies(self.admin).search([]))

    def test_home_company_change_applies_at_once(self):
        self._assert_in(self.user1, self.customer_b)
        self.user1.crm_company_id = self.customer_a
        self.assertNotIn(self.customer_b, self._companies(self.user1).search([]))

    def _assert_in(self, user, company):
        self.assertIn(company, self._companies(user).search([]), user.login)
        self.assertEqual(
            company.with_user(user).read(["name"])[0]["name"], company.name
        )
