from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class CrmSupportCase(TransactionCase):
    """The example of Integria's manual, built once for every test class.

    "My Company" has no parent; "Customer A" (owned by user1) and "Customer B"
    (owned by manager1) hang from it. user1 (Write) and manager1 (Manage)
    belong to My Company; user2 is a portal contact of Customer A; admin is a
    settings administrator. Logins carry a ``crm_`` prefix so that the tests
    also run on a database with the demo data.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Company = cls.env["crm_support.company"]

        cls.admin = new_test_user(cls.env, "crm_admin", groups="base.group_system")
        cls.user1 = new_test_user(
            cls.env, "crm_user1", groups="crm_support.crm_support_group_write"
        )
        cls.manager1 = new_test_user(
            cls.env, "crm_manager1", groups="crm_support.crm_support_group_manage"
        )
        cls.role_customer = cls.env["crm_support.company.role"].create(
            {"name": "Test customer"}
        )
        cls.my_company = Company.create(
            {"name": "My Company", "owner_id": cls.admin.id}
        )
        cls.customer_a = Company.create(
            {
                "name": "Customer A",
                "owner_id": cls.user1.id,
                "parent_company_id": cls.my_company.id,
                "role_id": cls.role_customer.id,
                "child_ids": [Command.create({"name": "Contact A"})],
            }
        )
        cls.customer_b = Company.create(
            {
                "name": "Customer B",
                "owner_id": cls.manager1.id,
                "parent_company_id": cls.my_company.id,
                "role_id": cls.role_customer.id,
                "child_ids": [Command.create({"name": "Contact B"})],
            }
        )
        (cls.user1 | cls.manager1).crm_company_id = cls.my_company
        cls.contact_a = cls.customer_a.child_ids
        cls.contact_b = cls.customer_b.child_ids
        cls.user2 = new_test_user(
            cls.env,
            "crm_user2",
            groups="base.group_portal",
            partner_id=cls.env["res.partner"]
            .create({"name": "User 2", "parent_id": cls.customer_a.partner_id.id})
            .id,
        )
        cls.contact_user2 = cls.user2.partner_id
