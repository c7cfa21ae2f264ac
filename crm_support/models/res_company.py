from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_company_properties_definition = fields.PropertiesDefinition(
        "CRM Company Custom Fields",
        help="Custom fields of CRM companies; separators group them in sections.",
    )
