import logging
from urllib.parse import quote

from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from ..models.crm_support_lead_intake import LeadIntakeError
from .lead_intake import MAX_REQUEST_SIZE

_logger = logging.getLogger(__name__)

# Integria's answer with ``return_type=xml`` (any other value answers csv:
# the bare value)
XML_ANSWER = "<xml version='1.0' encoding='UTF-8'>\n<data>%s</data>\n</xml>\n"
# the refusal's reason travels in this header, percent-encoded UTF-8 (all
# printable ASCII but "%" stays as it is), since Integria's body is only 1 or 0
ERROR_HEADER = "X-Crm-Support-Error"
LEAD_ID_HEADER = "X-Crm-Support-Lead-Id"
HEADER_SAFE = "".join(chr(code) for code in range(0x20, 0x7F) if chr(code) != "%")


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

        Answers like Integria: ``1`` when the lead was created, ``0`` when it
        was refused (or ``return_type=xml``'s wrapping of them). The HTTP
        status says why, and the headers carry the reason or the new lead's id.
        """
        # sudo: the intake authenticates the caller itself and then creates
        # the lead as that user, under that user's access rules
        Intake = request.env["crm_support.lead.intake"].sudo()
        address = request.httprequest.remote_addr
        try:
            lead = Intake._intake_integria_process(
                params, address, raw_params=_query_raw_params()
            )
        except LeadIntakeError as error:
            headers = {}
            if error.retry_after:
                headers["Retry-After"] = str(error.retry_after)
            return _refused(params, error.status, error.message, headers)
        except (UserError, ValidationError) as error:
            # the refused create may have written rows already: drop the whole
            # transaction, and count the attempt again for the rate limit
            request.env.cr.rollback()
            Intake._intake_record_attempt(
                address,
                Intake._intake_integria_rate_key(
                    *Intake._intake_integria_credentials(params)
                ),
            )
            status = 403 if isinstance(error, AccessError) else 400
            return _refused(params, status, error.args[0])
        return _answer(params, "1", 200, {LEAD_ID_HEADER: str(lead.id)})


def _query_raw_params():
    """``params`` as it came in the query string, still encoded, or None.

    In the query string (Integria's clients send GET requests) the raw value is
    split on its separators first, so that an encoded separator stays in its
    value. A posted ``params`` is split after decoding, as Integria did.
    """
    query = request.httprequest.query_string.decode("utf-8", "replace")
    for item in query.split("&"):
        name, _sep, raw = item.partition("=")
        if name == "params":
            return raw
    return None


def _refused(params, status, reason, headers=None):
    _logger.info("Integria create_lead refused (%s): %s", status, reason)
    return _answer(
        params,
        "0",
        status,
        {**(headers or {}), ERROR_HEADER: quote(str(reason), safe=HEADER_SAFE)},
    )


def _answer(params, value, status, headers):
    """Integria's answer: the bare value, or its XML wrapping."""
    if params.get("return_type") == "xml":
        body, content_type = XML_ANSWER % value, "text/xml; charset=utf-8"
    else:
        body, content_type = value, "text/plain; charset=utf-8"
    return request.make_response(
        body,
        headers=[("Content-Type", content_type), *headers.items()],
        status=status,
    )
