from odoo import fields, models


class CrmSupportInvoiceLine(models.Model):
    """One concept billed and its amount; negative amounts credit."""

    _name = "crm_support.invoice.line"
    _description = "CRM Invoice Line"
    _inherit = ["crm_support.reference.mixin"]
    _order = "invoice_id, sequence, id"

    invoice_id = fields.Many2one(
        "crm_support.invoice", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char("Concept", required=True)
    amount = fields.Monetary()
    currency_id = fields.Many2one(related="invoice_id.currency_id")
