from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_contract_expiry_days = fields.Integer(
        related="company_id.crm_contract_expiry_days", readonly=False
    )
