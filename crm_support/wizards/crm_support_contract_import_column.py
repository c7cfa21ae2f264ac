from odoo import fields, models


class CrmSupportContractImportColumn(models.TransientModel):
    """A column of a contracts file and the contract field it feeds."""

    _name = "crm_support.contract.import.column"
    _inherit = ["crm_support.csv.import.column"]
    _description = "Column of an Imported Contracts File"
    _import_model = "crm_support.contract.import"

    import_id = fields.Many2one(
        "crm_support.contract.import", required=True, ondelete="cascade"
    )
