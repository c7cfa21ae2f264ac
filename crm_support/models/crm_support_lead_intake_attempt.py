from datetime import timedelta

from odoo import api, fields, models


class CrmSupportLeadIntakeAttempt(models.Model):
    """One request to the web-form lead endpoint, counted by the rate limit."""

    _name = "crm_support.lead.intake.attempt"
    _description = "Lead Intake Attempt"
    _order = "id desc"

    client_address = fields.Char(index=True, readonly=True)
    key_fingerprint = fields.Char(index=True, readonly=True)

    @api.autovacuum
    def _gc_attempts(self):
        self.search(
            [("create_date", "<", fields.Datetime.now() - timedelta(days=1))]
        ).unlink()
