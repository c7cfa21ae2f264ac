from odoo.tests import new_test_user

from .common import CrmSupportCase


class CrmSupportLeadCase(CrmSupportCase):
    """Leads of the manual's example, and a catchall as reference mailbox.

    On top of ``CrmSupportCase``: reader1 (Read, home My Company), user3
    (Write, home Customer B: another home company), and four leads: lead_a
    (owner user1, contact Contact A), lead_b (owner manager1, contact Contact
    B), lead_unowned and lead_other (owner user3). Leads have no sales team,
    so that their reference mailbox is the catchall of the alias domain.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reader1 = new_test_user(
            cls.env, "crm_reader1", groups="crm_support.crm_support_group_read"
        )
        cls.user3 = new_test_user(
            cls.env, "crm_user3", groups="crm_support.crm_support_group_write"
        )
        cls.reader1.crm_company_id = cls.my_company
        cls.user3.crm_company_id = cls.customer_b
        cls.user1.email = "user1@support.example.com"
        cls.manager1.email = "manager1@support.example.com"
        cls.user3.email = "user3@support.example.com"
        cls.contact_a.email = "contact.a@customer-a.example.com"
        cls.contact_b.email = "contact.b@customer-b.example.com"
        cls.colleague_a = cls.env["res.partner"].create(
            {
                "name": "Colleague A",
                "parent_id": cls.customer_a.partner_id.id,
                "email": "colleague.a@customer-a.example.com",
            }
        )

        cls.alias_domain = cls.env["mail.alias.domain"].create(
            {"name": "leads.example.com"}
        )
        cls.env.company.alias_domain_id = cls.alias_domain
        cls.catchall = "catchall@leads.example.com"

        Lead = cls.env["crm.lead"].with_context(mail_create_nolog=True)
        common = {"type": "opportunity", "team_id": False}
        cls.lead_a = Lead.create(
            {
                **common,
                "name": "Lead A",
                "user_id": cls.user1.id,
                "partner_id": cls.contact_a.id,
            }
        )
        cls.lead_b = Lead.create(
            {
                **common,
                "name": "Lead B",
                "user_id": cls.manager1.id,
                "partner_id": cls.contact_b.id,
            }
        )
        cls.lead_unowned = Lead.create(
            {
                **common,
                "name": "Unowned lead",
                "user_id": False,
                "email_from": "visitor@web.example.com",
            }
        )
        cls.lead_other = Lead.create(
            {
                **common,
                "name": "Lead of another home company",
                "user_id": cls.user3.id,
                "email_from": "someone@elsewhere.example.com",
            }
        )
        cls.leads = cls.lead_a | cls.lead_b | cls.lead_unowned | cls.lead_other
