from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged, users

from .common_contract import CrmSupportContractCase


@tagged("post_install", "-at_install", "crm_support")
class TestContract(CrmSupportContractCase):
    """Contracts: bad input refused whole, custom fields kept, timeline told."""

    def new_contract_vals(self, **vals):
        return {
            "name": "Support 2025",
            "contract_number": "T-NEW-1",
            "crm_company_id": self.customer_a.id,
            "type_id": self.licence.id,
            "date_start": "2025-01-01",
            "date_end": "2025-12-31",
            **vals,
        }

    def count(self):
        return self.env["crm_support.contract"].sudo().search_count([])

    # --- bad input -------------------------------------------------------

    @users("crm_user1")
    def test_end_date_before_start_date_is_refused(self):
        before = self.count()
        with self.assertRefused(ValidationError, "End Date.*Support 2025"):
            self.env["crm_support.contract"].create(
                self.new_contract_vals(date_end="2024-12-31")
            )
        self.assertEqual(self.count(), before)
        contract = self.contract_a.with_env(self.env)
        with self.assertRefused(ValidationError, "End Date"):
            contract.write({"date_start": "2026-01-01", "status": "inactive"})
        # the whole write was refused, not only the date
        contract.invalidate_recordset()
        self.assertEqual(contract.status, "active")
        self.assertEqual(contract.date_start, date(2025, 1, 1))

    def test_open_ended_contract(self):
        contract = self.env["crm_support.contract"].create(
            self.new_contract_vals(date_end=False)
        )
        self.assertFalse(contract.date_end)

    @users("crm_user1")
    def test_duplicate_contract_number_is_refused(self):
        Contract = self.env["crm_support.contract"]
        before = self.count()
        # the other contract is one user1 cannot even read
        with self.assertRefused(ValidationError, "T-B-2 is already"):
            Contract.create(self.new_contract_vals(contract_number="T-B-2"))
        with self.assertRefused(ValidationError, "T-DUP is given to more"):
            Contract.create(
                [
                    self.new_contract_vals(contract_number="T-DUP"),
                    self.new_contract_vals(contract_number="T-DUP"),
                ]
            )
        self.assertEqual(self.count(), before)
        with self.assertRefused(ValidationError, "T-A-2 is already"):
            self.contract_a.with_env(self.env).contract_number = "T-A-2"
        with self.assertRefused(ValidationError, "needs a contract number"):
            Contract.create(self.new_contract_vals(contract_number="  "))

    @users("crm_user1")
    def test_custom_field_value_of_the_wrong_kind_is_refused(self):
        Contract = self.env["crm_support.contract"]
        before = self.count()
        bad_values = [
            ({"licences": "many"}, "Licences.*Integer.*'many'"),
            ({"licences": 2.5}, "Licences.*Integer"),
            ({"licences": True}, "Licences.*Integer"),
            ({"support_level": "platinum"}, "Support Level.*Selection"),
            ({"nonexistent": 1}, "no custom field 'nonexistent'"),
        ]
        for properties, message in bad_values:
            with (
                self.subTest(properties=properties),
                self.assertRefused(ValidationError, message),
            ):
                Contract.create(self.new_contract_vals(properties=properties))
        self.assertEqual(self.count(), before)
        contract = self.contract_a.with_env(self.env)
        with self.assertRefused(ValidationError, "Licences"):
            contract.write({"status": "pending", "properties": {"licences": "ten"}})
        contract.invalidate_recordset()
        self.assertEqual(contract.status, "active")
        self.assertEqual(contract.properties["licences"], 5)

    def test_every_kind_of_custom_field_checks_its_value(self):
        kinds = self.env["crm_support.contract.type"].create(
            {
                "name": "Every kind",
                "properties_definition": [
                    {"name": "text", "string": "Text", "type": "char"},
                    {"name": "flag", "string": "Flag", "type": "boolean"},
                    {"name": "amount", "string": "Amount", "type": "float"},
                    {"name": "day", "string": "Day", "type": "date"},
                    {"name": "moment", "string": "Moment", "type": "datetime"},
                    {
                        "name": "labels",
                        "string": "Labels",
                        "type": "tags",
                        "tags": [["a", "A", 1], ["b", "B", 2]],
                    },
                    {
                        "name": "partner",
                        "string": "Partner",
                        "type": "many2one",
                        "comodel": "res.partner",
                    },
                    {
                        "name": "partners",
                        "string": "Partners",
                        "type": "many2many",
                        "comodel": "res.partner",
                    },
                ],
            }
        )
        partner = self.contact_a
        good = {
            "text": "x",
            "flag": True,
            "amount": 2,
            "day": "2025-02-03",
            "moment": "2025-02-03 10:00:00",
            "labels": ["a"],
            "partner": partner.id,
            "partners": [partner.id],
        }
        contract = self.env["crm_support.contract"].create(
            self.new_contract_vals(type_id=kinds.id, properties=good)
        )
        self.assertEqual(contract.properties["day"], "2025-02-03")
        bad = {
            "text": 3,
            "flag": "yes",
            "amount": "2",
            "day": "3 February",
            "moment": "yesterday",
            "labels": ["c"],
            "partner": 999999999,
            "partners": [partner.id, "x"],
        }
        for name, value in bad.items():
            with (
                self.subTest(name=name),
                self.assertRefused(ValidationError, name.capitalize()),
            ):
                contract.write({"properties": dict(good, **{name: value})})

    # --- custom fields across type changes ---------------------------------

    @users("crm_user1")
    def test_type_change_keeps_custom_field_values(self):
        contract = self.contract_a.with_env(self.env)
        contract.type_id = self.service
        self.assertEqual(contract.properties, {"hours": False})
        self.assertEqual(
            contract.kept_properties, {"licences": 5, "support_level": "gold"}
        )
        contract.properties = {"hours": 7.5}
        contract.type_id = self.licence
        self.assertEqual(contract.properties, {"licences": 5, "support_level": "gold"})
        self.assertEqual(contract.kept_properties, {"hours": 7.5})
        # values written with the type change win over the kept ones
        contract.write({"type_id": self.service.id, "properties": {"hours": 1.0}})
        self.assertEqual(contract.properties, {"hours": 1.0})

    @users("crm_user1")
    def test_type_change_in_the_form_brings_back_kept_values(self):
        self.contract_a.with_env(self.env).type_id = self.service
        with Form(self.contract_a.with_env(self.env)) as form:
            form.type_id = self.licence
            self.assertEqual(
                {field["name"]: field["value"] for field in form.properties},
                {"licences": 5, "support_level": "gold"},
            )
        self.assertEqual(self.contract_a.properties["licences"], 5)

    # --- the company's timeline -------------------------------------------

    @users("crm_user1")
    def test_changes_show_on_the_company_timeline(self):
        company = self.customer_a.with_env(self.env)
        with freeze_time("2030-05-06 07:08:09"):
            contract = self.env["crm_support.contract"].create(self.new_contract_vals())
            self.assertEqual(company.last_activity, datetime(2030, 5, 6, 7, 8, 9))
        message = company.message_ids[0]
        self.assertIn("Support 2025 (T-NEW-1)", message.body)
        self.assertIn("created", message.body)
        self.assertIn(f'data-oe-id="{contract.id}"', message.body)

        with freeze_time("2030-06-01 00:00:00"):
            contract.write({"status": "inactive", "date_end": "2025-06-30"})
            self.assertEqual(company.last_activity, datetime(2030, 6, 1))
        body = company.message_ids[0].body
        self.assertIn("Status: Active → Inactive", body)
        self.assertIn("End Date: 12/31/2025 → 06/30/2025", body)

        # long fields are said to change, not printed; an unchanged value is
        # no change
        contract.description = "New scope"
        self.assertIn("Description changed", company.message_ids[0].body)
        messages = company.message_ids
        contract.write({"description": "New scope", "status": "inactive"})
        self.assertEqual(company.message_ids, messages)

        contract.with_user(self.manager1).unlink()
        self.assertIn("Support 2025 (T-NEW-1) deleted", company.message_ids[0].body)

    @users("crm_user1")
    def test_private_contracts_stay_off_the_timeline(self):
        company = self.customer_a.with_env(self.env)
        messages = company.message_ids
        with freeze_time("2030-05-06 07:08:09"):
            contract = self.env["crm_support.contract"].create(
                self.new_contract_vals(private=True, name="Secret deal")
            )
            contract.status = "pending"
        self.assertEqual(company.message_ids, messages)
        # the date of the last activity is not a secret
        self.assertEqual(company.last_activity, datetime(2030, 5, 6, 7, 8, 9))

    @users("crm_manager1")
    def test_moving_a_contract_tells_both_companies(self):
        contract = self.contract_b.with_env(self.env)
        contract.crm_company_id = self.customer_a
        for company in (self.customer_a, self.customer_b):
            self.assertIn(
                "Company: Customer B → Customer A",
                company.with_env(self.env).message_ids[0].body,
            )

    def test_copy_gets_a_new_contract_number(self):
        copy = self.contract_a.copy()
        self.assertEqual(copy.contract_number, "T-A-1 (copy)")
        self.assertEqual(copy.properties, self.contract_a.properties)

    def test_contract_type_shows_the_macro_of_each_custom_field(self):
        table = str(self.licence.custom_field_macros)
        self.assertIn("<td>Licences</td><td>Integer</td>", table)
        self.assertIn("<code>_custom_licences_</code>", table)
        self.assertIn("<code>_custom_support_level_</code>", table)
        self.licence.properties_definition = [
            {"name": "x", "string": "<b>bold</b>", "type": "char"},
        ]
        self.assertIn("&lt;b&gt;bold&lt;/b&gt;", str(self.licence.custom_field_macros))
