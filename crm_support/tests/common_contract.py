from contextlib import contextmanager

from odoo.tests import new_test_user

from .common import CrmSupportCase


class CrmSupportContractCase(CrmSupportCase):
    """Contracts of the manual's example, built once for every contract test.

    A "Licence" type with an integer and a selection custom field; a public
    and a private contract for Customer A (owned by user1) and for Customer B
    (owned by manager1); a contract of My Company (no parent, owned by admin).
    reader_a is a Read user whose home company is Customer A; loner a Write
    user without home company.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Contract = cls.env["crm_support.contract"]
        cls.reader_a = new_test_user(
            cls.env, "crm_reader_a", groups="crm_support.crm_support_group_read"
        )
        cls.reader_a.crm_company_id = cls.customer_a
        cls.loner = new_test_user(
            cls.env, "crm_loner", groups="crm_support.crm_support_group_write"
        )
        cls.licence = cls.env["crm_support.contract.type"].create(
            {
                "name": "Test licence",
                "description": "Licence of the test software",
                "properties_definition": [
                    {"name": "licences", "string": "Licences", "type": "integer"},
                    {
                        "name": "support_level",
                        "string": "Support Level",
                        "type": "selection",
                        "selection": [["standard", "Standard"], ["gold", "Gold"]],
                    },
                ],
            }
        )
        cls.service = cls.env["crm_support.contract.type"].create(
            {
                "name": "Test service",
                "properties_definition": [
                    {"name": "hours", "string": "Hours", "type": "float"},
                ],
            }
        )

        def contract(company, number, **vals):
            return Contract.create(
                {
                    "name": f"Contract {number}",
                    "contract_number": number,
                    "crm_company_id": company.id,
                    "type_id": cls.licence.id,
                    "date_start": "2025-01-01",
                    "date_end": "2025-12-31",
                    **vals,
                }
            )

        cls.contract_a = contract(
            cls.customer_a,
            "T-A-1",
            properties={"licences": 5, "support_level": "gold"},
        )
        cls.contract_a_private = contract(cls.customer_a, "T-A-2", private=True)
        cls.contract_b = contract(cls.customer_b, "T-B-1")
        cls.contract_b_private = contract(cls.customer_b, "T-B-2", private=True)
        cls.contract_my = contract(cls.my_company, "T-MY-1")
        cls.contracts = (
            cls.contract_a
            | cls.contract_a_private
            | cls.contract_b
            | cls.contract_b_private
            | cls.contract_my
        )

    @contextmanager
    def assertRefused(self, exception, pattern):
        """Expect ``exception`` with a message matching ``pattern``.

        Unlike assertRaisesRegex, the database changes made before the error
        are rolled back, as a refused XML-RPC call's are: what stays is what
        a client would find afterwards.
        """
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(str(caught.exception), pattern)
