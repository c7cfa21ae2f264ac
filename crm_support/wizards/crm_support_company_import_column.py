from odoo import fields, models


class CrmSupportCompanyImportColumn(models.TransientModel):
    """A column of a companies file and the company field it feeds."""

    _name = "crm_support.company.import.column"
    _inherit = ["crm_support.csv.import.column"]
    _description = "Column of an Imported Companies File"
    _import_model = "crm_support.company.import"

    import_id = fields.Many2one(
        "crm_support.company.import", required=True, ondelete="cascade"
    )
