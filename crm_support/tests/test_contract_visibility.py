from odoo.exceptions import AccessError
from odoo.tests import tagged, users
from odoo.tools import mute_logger

from .common_contract import CrmSupportContractCase


@tagged("post_install", "-at_install", "crm_support")
class TestContractVisibility(CrmSupportContractCase):
    """Contracts follow their company; private ones are narrower (DESIGN.md)."""

    def visible(self):
        return self.env["crm_support.contract"].search(
            [("id", "in", self.contracts.ids)]
        )

    def writable(self):
        return self.contracts.with_env(self.env)._filtered_access("write")

    @users("crm_admin")
    def test_admin_sees_and_changes_everything(self):
        self.assertEqual(self.visible(), self.contracts)
        self.assertEqual(self.writable(), self.contracts)

    @users("crm_user1")
    def test_write_user(self):
        # owns Customer A; home company My Company, ancestor of Customer B
        self.assertEqual(
            self.visible(),
            self.contract_a | self.contract_a_private | self.contract_b,
        )
        self.assertEqual(self.writable(), self.contract_a | self.contract_a_private)
        self.contract_a.with_env(self.env).status = "pending"
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.contract_b.with_env(self.env).status = "pending"
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.contract_b_private.with_env(self.env).read(["name"])

    @users("crm_manager1")
    def test_manage_user(self):
        # owns Customer B; reads Customer A through the home company, but not
        # its private contract
        self.assertEqual(
            self.visible(),
            self.contract_a | self.contract_b | self.contract_b_private,
        )
        self.assertEqual(
            self.writable(),
            self.contract_a | self.contract_b | self.contract_b_private,
        )
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.contract_a_private.with_env(self.env).status = "inactive"

    @users("crm_reader_a")
    def test_read_user_of_the_company_itself(self):
        # home company Customer A: its private contract too, nothing to change
        self.assertEqual(self.visible(), self.contract_a | self.contract_a_private)
        self.assertFalse(self.writable())
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.contract_a.with_env(self.env).status = "inactive"

    @users("crm_loner")
    def test_user_without_home_company_sees_nothing_of_others(self):
        self.assertFalse(self.visible())
        own = (
            self.env["crm_support.company"]
            .sudo()
            .create({"name": "Loner's company", "owner_id": self.loner.id})
        )
        contract = self.env["crm_support.contract"].create(
            {"name": "Own", "contract_number": "T-LONER", "crm_company_id": own.id}
        )
        self.assertEqual(
            self.env["crm_support.contract"].search(
                [("id", "in", (self.contracts | contract).ids)]
            ),
            contract,
        )

    @users("crm_user2")
    def test_portal_user_sees_no_contract(self):
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.env["crm_support.contract"].search([])
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.contract_a.with_env(self.env).read(["name"])

    @users("crm_user1")
    def test_create_only_in_writable_companies(self):
        Contract = self.env["crm_support.contract"]
        created = Contract.create(
            {
                "name": "New",
                "contract_number": "T-NEW-A",
                "crm_company_id": self.customer_a.id,
            }
        )
        self.assertEqual(created.crm_company_id, self.customer_a)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            Contract.create(
                {
                    "name": "New",
                    "contract_number": "T-NEW-B",
                    "crm_company_id": self.customer_b.id,
                }
            )

    @users("crm_user1")
    def test_cannot_move_a_contract_to_a_company_not_writable(self):
        contract = self.contract_a.with_env(self.env)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            contract.crm_company_id = self.customer_b
        self.assertEqual(self.contract_a.sudo().crm_company_id, self.customer_a)

    @users("crm_user1", "crm_reader_a")
    def test_only_managers_delete(self):
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.contract_a.with_env(self.env).unlink()

    @users("crm_manager1")
    def test_manager_deletes_what_they_may_change(self):
        self.contract_b.with_env(self.env).unlink()
        self.assertFalse(self.contract_b.exists())
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.contract_a_private.with_env(self.env).unlink()

    @users("crm_manager1")
    def test_contract_count_on_the_company_counts_visible_ones(self):
        companies = (self.customer_a | self.customer_b).with_env(self.env)
        self.assertEqual(companies.mapped("contract_count"), [1, 2])
