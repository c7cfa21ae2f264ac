from odoo import fields, models

# Integria's progress values of open and won leads; the numbers are what
# imports and the API exchange, the names are only the shipped defaults
STAGE_PROGRESS = [
    ("0", "0 - New"),
    ("20", "20 - Meeting arranged"),
    ("40", "40 - Needs discovered"),
    ("60", "60 - Proposal delivered"),
    ("80", "80 - Offer accepted"),
    ("200", "200 - Closed successfully"),
]


class CrmStage(models.Model):
    _inherit = "crm.stage"

    crm_progress = fields.Selection(
        STAGE_PROGRESS,
        string="Integria Progress",
        copy=False,
        help="The progress value Integria IMS gives leads in this stage. The stage "
        "may be renamed freely: imports and the API go by this number.",
    )

    _sql_constraints = [
        (
            "crm_progress_uniq",
            "unique(crm_progress)",
            "Another stage already has this Integria progress value.",
        ),
    ]
