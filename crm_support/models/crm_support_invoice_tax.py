from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmSupportInvoiceTax(models.Model):
    """A tax of an invoice: a name and a percentage of the taxable base."""

    _name = "crm_support.invoice.tax"
    _description = "CRM Invoice Tax"
    _inherit = ["crm_support.reference.mixin"]
    _order = "invoice_id, sequence, id"

    invoice_id = fields.Many2one(
        "crm_support.invoice", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, help="As printed, for example VAT.")
    percent = fields.Float("Percentage", digits=(16, 2))
    amount = fields.Monetary(compute="_compute_amount", store=True)
    currency_id = fields.Many2one(related="invoice_id.currency_id")

    @api.depends("percent", "invoice_id.amount_taxable", "invoice_id.currency_id")
    def _compute_amount(self):
        for tax in self:
            tax.amount = tax.invoice_id._round(
                tax.invoice_id.amount_taxable * tax.percent / 100
            )

    @api.constrains("percent")
    def _check_percent(self):
        for tax in self:
            if not 0 <= tax.percent <= 100:
                raise ValidationError(
                    self.env._(
                        "Tax %(tax)s of invoice %(invoice)s: the percentage must be "
                        "between 0 and 100, not %(value)s.",
                        tax=tax.name,
                        invoice=tax.invoice_id.display_name,
                        value=tax.percent,
                    )
                )
