from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from ..models.crm_support_lead_intake import LeadIntakeError

# the largest form post read at all; the comment has its own, smaller limit
MAX_REQUEST_SIZE = 2 * 1024 * 1024


class LeadIntakeController(http.Controller):
    @http.route(
        "/crm_support/leads",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        readonly=False,
        max_content_length=MAX_REQUEST_SIZE,
    )
    def lead_create(self, **params):
        """Create a lead from a web form post (form-encoded fields).

        The API key comes in the ``X-Api-Key`` header, as ``Authorization:
        Bearer <key>``, or as the ``api_key`` field. Answers JSON: 201 with the
        lead's id and the ignored fields, or an error with its status.
        """
        api_key = _request_api_key(params)
        # sudo: the intake authenticates the key itself and then creates the
        # lead as the key's user, under that user's access rules
        Intake = request.env["crm_support.lead.intake"].sudo()
        try:
            lead, ignored = Intake._intake_process(
                params, api_key, request.httprequest.remote_addr
            )
        except LeadIntakeError as error:
            headers = {}
            if error.retry_after:
                headers["Retry-After"] = str(error.retry_after)
            return request.make_json_response(
                {"error": error.message}, headers=headers, status=error.status
            )
        except (UserError, ValidationError) as error:
            # the refused create may have written rows already: drop the whole
            # transaction, and count the attempt again for the rate limit
            request.env.cr.rollback()
            Intake._intake_record_attempt(request.httprequest.remote_addr, api_key)
            status = 403 if isinstance(error, AccessError) else 400
            return request.make_json_response({"error": error.args[0]}, status=status)
        return request.make_json_response(
            {"id": lead.id, "ignored": ignored}, status=201
        )


def _request_api_key(params):
    headers = request.httprequest.headers
    authorization = headers.get("Authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return headers.get("X-Api-Key") or params.get("api_key") or ""
