from odoo import fields, models

# Integria's progress values of closed leads that were not won
LOST_PROGRESS = [
    ("100", "100 - Closed, no response or dead"),
    ("101", "101 - Closed, lost"),
    ("102", "102 - Closed, invalid or N/A"),
]


class CrmLostReason(models.Model):
    _inherit = "crm.lost.reason"

    crm_progress = fields.Selection(
        LOST_PROGRESS,
        string="Integria Progress",
        copy=False,
        help="The progress value Integria IMS gives leads lost for this reason. "
        "The reason may be renamed freely: imports and the API go by this number.",
    )

    _sql_constraints = [
        (
            "crm_progress_uniq",
            "unique(crm_progress)",
            "Another lost reason already has this Integria progress value.",
        ),
    ]
