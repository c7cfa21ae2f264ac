from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_contract_expiry_days = fields.Integer(
        related="company_id.crm_contract_expiry_days", readonly=False
    )
    crm_invoice_auto_number = fields.Boolean(
        related="company_id.crm_invoice_auto_number", readonly=False
    )
    crm_invoice_number_pattern = fields.Char(
        related="company_id.crm_invoice_number_pattern", readonly=False
    )
    crm_invoice_logo = fields.Image(
        related="company_id.crm_invoice_logo", readonly=False
    )
    crm_invoice_header = fields.Html(
        related="company_id.crm_invoice_header", readonly=False
    )
    crm_invoice_footer = fields.Html(
        related="company_id.crm_invoice_footer", readonly=False
    )
