from odoo.tests import tagged

from .common import CrmSupportCase


@tagged("post_install", "-at_install", "crm_support")
class TestCompanyOrder(CrmSupportCase):
    """Companies sort by name through their own copy of the partner's name."""

    def test_sort_name_follows_the_partner(self):
        self.assertEqual(self.customer_a.sort_name, "Customer A")
        self.customer_a.partner_id.name = "Renamed in the address book"
        self.assertEqual(self.customer_a.sort_name, "Renamed in the address book")
        self.customer_b.with_user(self.manager1).name = "Renamed on the CRM file"
        self.assertEqual(self.customer_b.sort_name, "Renamed on the CRM file")

    def test_order_by_name(self):
        Company = self.env["crm_support.company"].with_user(self.manager1)
        mine = [("id", "in", (self.customer_a | self.customer_b).ids)]
        self.assertEqual(
            Company.search(mine).ids, [self.customer_a.id, self.customer_b.id]
        )

        # a rename in the address book moves the company in the list
        self.customer_b.partner_id.name = "Aardvark Ltd"
        self.assertEqual(
            Company.search(mine).ids, [self.customer_b.id, self.customer_a.id]
        )
        self.assertEqual(
            Company.search(mine, order="name desc").ids,
            [self.customer_a.id, self.customer_b.id],
        )
        self.assertEqual(
            [row["name"] for row in Company.search_read(mine, ["name"], order="name")],
            ["Aardvark Ltd", "Customer A"],
        )

    def test_order_by_parent_company(self):
        # ordering by a many2one to companies orders by their names too
        Company = self.env["crm_support.company"]
        zulu = Company.create({"name": "Zulu parent", "owner_id": self.admin.id})
        child = Company.create(
            {
                "name": "Child of Zulu",
                "owner_id": self.user1.id,
                "parent_company_id": zulu.id,
            }
        )
        found = Company.with_user(self.user1).search(
            [("id", "in", (child | self.customer_a).ids)],
            order="parent_company_id, id",
        )
        # "My Company" sorts before "Zulu parent"
        self.assertEqual(found.ids, [self.customer_a.id, child.id])
