from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import CrmSupportCase


@tagged("post_install", "-at_install", "crm_support")
class TestCompany(CrmSupportCase):
    """CRM company fields, bad input and the last activity."""

    def test_partner_fields_live_on_partner(self):
        spain = self.env.ref("base.es")
        company = (
            self.env["crm_support.company"]
            .with_user(self.user1)
            .create(
                {
                    "name": "Łódź Sp. z o.o.",
                    "vat": "PL1234567890",
                    "country_id": spain.id,
                    "website": "https://lodz.example.com",
                }
            )
        )
        partner = company.partner_id
        self.assertEqual(partner.name, "Łódź Sp. z o.o.")
        self.assertEqual(partner.vat, "PL1234567890")
        self.assertEqual(partner.country_id, spain)
        self.assertTrue(partner.is_company)

    def test_parent_cycle_refused(self):
        grandchild = self.env["crm_support.company"].create(
            {
                "name": "Grandchild",
                "owner_id": self.user1.id,
                "parent_company_id": self.customer_a.id,
            }
        )
        with self.assertRaisesRegex(ValidationError, "Parent Company"):
            self.my_company.parent_company_id = grandchild
        with self.assertRaisesRegex(ValidationError, "Parent Company"):
            self.customer_a.parent_company_id = self.customer_a

    def test_owner_must_be_internal(self):
        with self.assertRaisesRegex(ValidationError, "Owner"):
            self.env["crm_support.company"].create(
                {"name": "Portal owned", "owner_id": self.user2.id}
            )

    def test_unknown_links_name_the_field(self):
        Company = self.env["crm_support.company"].with_user(self.user1)
        for field, label in (
            ("role_id", "Role"),
            ("country_id", "Country"),
            ("parent_company_id", "Parent Company"),
        ):
            with self.assertRaisesRegex(ValidationError, label):
                Company.create({"name": "Bad link", field: 987654321})
        self.assertFalse(Company.search([("name", "=", "Bad link")]))
        with self.assertRaisesRegex(ValidationError, "Role"):
            self.customer_a.with_user(self.user1).write({"role_id": 987654321})

    def test_last_activity_moves(self):
        with freeze_time("2026-01-05 10:00:00"):
            company = self.env["crm_support.company"].create(
                {"name": "Timeline", "owner_id": self.user1.id}
            )
        self.assertEqual(company.last_activity, datetime(2026, 1, 5, 10, 0))
        with freeze_time("2026-02-01 09:00:00"):
            company.write({"payment_terms": "60 days"})
        self.assertEqual(company.last_activity, datetime(2026, 2, 1, 9, 0))
        with freeze_time("2026-03-01 08:00:00"):
            company.write({"child_ids": [Command.create({"name": "New contact"})]})
        self.assertEqual(company.last_activity, datetime(2026, 3, 1, 8, 0))
        with freeze_time("2026-04-01 08:00:00"):
            company.child_ids.write({"function": "CTO"})
        self.assertEqual(company.last_activity, datetime(2026, 4, 1, 8, 0))

    def test_custom_fields_with_sections(self):
        self.env.company.crm_company_properties_definition = [
            {"name": "commercial", "string": "Commercial", "type": "separator"},
            {"name": "employees", "string": "Employees", "type": "integer"},
            {
                "name": "tier",
                "string": "Tier",
                "type": "selection",
                "selection": [["gold", "Gold"], ["silver", "Silver"]],
            },
        ]
        self.customer_a.with_user(self.user1).properties = {
            "employees": 20,
            "tier": "gold",
        }
        values = {
            prop["name"]: prop.get("value")
            for prop in self.customer_a.with_user(self.manager1).read(["properties"])[
                0
            ]["properties"]
        }
        self.assertEqual(values["employees"], 20)
        self.assertEqual(values["tier"], "gold")
        self.assertIn("commercial", values)

    def test_form_defaults(self):
        form = Form(self.env["crm_support.company"].with_user(self.user1))
        form.name = "From the form"
        company = form.save()
        self.assertEqual(company.owner_id, self.user1)
        self.assertFalse(company.is_readonly)

    def test_timeline_tracks_owner(self):
        company = (
            self.env["crm_support.company"]
            .with_context(tracking_disable=False)
            .create({"name": "Tracked", "owner_id": self.user1.id})
        )
        self.env.flush_all()
        self.env.cr.precommit.run()
        company.with_context(tracking_disable=False).owner_id = self.manager1
        self.env.flush_all()
        self.env.cr.precommit.run()
        company.invalidate_recordset(["message_ids"])
        tracked = company.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("owner_id", tracked)

    def test_role_in_use_cannot_be_deleted(self):
        with self.assertRaisesRegex(UserError, "Test customer.*2 companies"):
            self.role_customer.unlink()
        unused = self.env["crm_support.company.role"].create({"name": "Unused"})
        unused.unlink()
        self.assertFalse(unused.exists())

    def test_user_home_company_on_form(self):
        user = new_test_user(self.env, "crm_formuser", groups="base.group_user")
        with Form(user, view="base.view_users_form") as form:
            form.crm_company_id = self.my_company
        self.assertEqual(user.crm_company_id, self.my_company)
