from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_company_properties_definition = fields.PropertiesDefinition(
        "CRM Company Custom Fields",
        help="Custom fields of CRM companies; separators group them in sections.",
    )
    crm_contract_expiry_days = fields.Integer(
        "Contract Expiry Notice",
        default=30,
        help="How many days before a contract ends its company's owner gets an "
        "activity about it.",
    )

    @api.constrains("crm_contract_expiry_days")
    def _check_crm_contract_expiry_days(self):
        for company in self:
            if not 0 <= company.crm_contract_expiry_days <= 3650:
                raise ValidationError(
                    self.env._(
                        "Contract Expiry Notice: %(days)s days is not between 0 "
                        "and 3650 (company %(name)s).",
                        days=company.crm_contract_expiry_days,
                        name=company.name,
                    )
                )
