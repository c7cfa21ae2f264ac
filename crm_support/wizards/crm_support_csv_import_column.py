from odoo import api, fields, models


class CrmSupportCsvImportColumn(models.AbstractModel):
    """A column of an imported file and the field it feeds.

    The columns of a wizard, in their order, are the columns of the file:
    deleting one shifts the next ones left, as a file without that column.
    """

    _name = "crm_support.csv.import.column"
    _description = "Column of an imported CSV file"
    _order = "sequence, id"
    # the wizard whose targets the column offers
    _import_model = None

    sequence = fields.Integer(default=10)
    header = fields.Char(readonly=True, help="The name the header line gives it.")
    target = fields.Selection(
        selection="_selection_target",
        string="Field",
        required=True,
        default="ignore",
    )

    @api.model
    def _selection_target(self):
        return self.env[self._import_model]._import_targets()
