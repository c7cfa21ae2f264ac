from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from ..models.crm_support_lead_intake import LeadIntakeError
from .lead_intake import MAX_REQUEST_SIZE


class LeadIntakeIntegriaController(http.Controller):
    @http.route(
        ["/include/api.php", "/integria/include/api.php"],
        type="http",
        auth="none",
        methods=["GET", "POST"],
        csrf=False,
        save_session=False,
        readonly=False,
        max_content_length=MAX_REQUEST_SIZE,
    )
    def integria_api(self, **params):
        """Integria IMS's API call ``op=create_lead``, for forms written for it.

        Answers plain text like Integria: the new lead's id, or ``ERROR: ``
        and the reason, with the HTTP status that says why.
        """
        # sudo: the intake authenticates the caller itself and then creates
        # the lead as that user, under that user's access rules
        Intake = request.env["crm_support.lead.intake"].sudo()
        password = params.get("pass") or ""
        address = request.httprequest.remote_addr
        try:
            lead = Intake._intake_integria_process(
                params.get("op"),
                params.get("user"),
                password,
                _request_params_values(Intake, params),
                address,
                extra=params,
            )
        except LeadIntakeError as error:
            headers = {}
            if error.retry_after:
                headers["Retry-After"] = str(error.retry_after)
            return _text_response(f"ERROR: {error.message}", error.status, headers)
        except (UserError, ValidationError) as error:
            # the refused create may have written rows already: drop the whole
            # transaction, and count the attempt again for the rate limit
            request.env.cr.rollback()
            Intake._intake_record_attempt(
                address, Intake._intake_integria_rate_key(params.get("user"), password)
            )
            status = 403 if isinstance(error, AccessError) else 400
            return _text_response(f"ERROR: {error.args[0]}", status)
        return _text_response(str(lead.id), 200)


def _request_params_values(Intake, params):
    """The values of ``params``, split before URL-decoding when possible.

    In the query string (Integria's clients send GET requests) the raw value is
    split on its commas first, so that an encoded comma stays in its value. A
    posted ``params`` is split after decoding, as Integria did.
    """
    query = request.httprequest.query_string.decode("utf-8", "replace")
    for item in query.split("&"):
        name, _sep, raw = item.partition("=")
        if name == "params":
            return Intake._intake_integria_split(raw)
    value = params.get("params")
    if isinstance(value, str) and value:
        return value.split(",")
    return []


def _text_response(body, status, headers=None):
    return request.make_response(
        body,
        headers=[
            ("Content-Type", "text/plain; charset=utf-8"),
            *(headers or {}).items(),
        ],
        status=status,
    )
