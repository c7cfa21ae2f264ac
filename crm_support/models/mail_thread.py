import email
import logging
import re
import xmlrpc.client

from odoo import api, models
from odoo.tools.mail import mail_header_msgid_re

from .crm_lead import lead_token_ids

_logger = logging.getLogger(__name__)


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_process(
        self,
        model,
        message,
        custom_values=None,
        save_original=False,
        strip_attachments=False,
        thread_id=None,
    ):
        """Keep a fetched mail that fails to process, for a retry.

        Odoo's incoming mail servers mark a mail read even when processing it
        failed, and then it is gone. A mail fetched by them (and only those:
        other callers get the error and retry themselves) is stored as a
        failed held mail instead, and retried from there.
        """
        args = (model, message, custom_values, save_original, strip_attachments)
        if not self.env.context.get("fetchmail_cron_running"):
            return super().message_process(*args, thread_id=thread_id)
        try:
            with self.env.cr.savepoint():
                return super().message_process(*args, thread_id=thread_id)
        except Exception as error:
            raw = _message_bytes(message)
            # sudo: the mail gateway keeps the mail for the CRM users who may
            # see held mail; their record rules decide who reads it
            self.env["crm_support.held.mail"].sudo()._hold_failed(raw, error, model)
            return False

    @api.model
    def message_route(
        self, message, message_dict, model=None, thread_id=None, custom_values=None
    ):
        """Route by the ``[Lead#N]`` token when Odoo's headers find no thread."""
        token_ids = lead_token_ids(message_dict.get("subject"))
        if (
            not token_ids
            or thread_id
            or message_dict.get("is_bounce")
            or self._is_routed_by_headers(message_dict)
        ):
            return super().message_route(
                message,
                message_dict,
                model=model,
                thread_id=thread_id,
                custom_values=custom_values,
            )
        return self._route_by_lead_token(message, message_dict, token_ids)

    @api.model
    def _is_routed_by_headers(self, message_dict):
        """Whether Odoo's own header matching finds the thread of this mail.

        The same lookup as ``message_route``: the newest known message among
        the last References (or In-Reply-To), if it belongs to a record.
        """
        thread_references = (
            message_dict.get("references") or message_dict.get("in_reply_to") or ""
        )
        references = [
            re.sub(r"[\r\n\t ]+", "", ref)
            for ref in mail_header_msgid_re.findall(thread_references)
            if "reply_to" not in ref
        ][-32:]
        if not references:
            return False
        # sudo: as in Odoo's routing, the lookup is the gateway's, not a user's
        replied = (
            self.env["mail.message"]
            .sudo()
            .search([("message_id", "in", references)], limit=1, order="id desc")
        )
        return bool(replied.model and replied.res_id)

    @api.model
    def _route_by_lead_token(self, message, message_dict, token_ids):
        """The route to the lead named by the token, or none and the mail held.

        Only a single token of an existing lead, from a correspondent of that
        lead, routes the mail; anything else is held for a person to decide.
        """
        self._routing_reset_bounce(message, message_dict)
        Lead = self.env["crm.lead"]
        # sudo: the gateway looks the lead up for a sender who is not a user
        leads = Lead.sudo().with_context(active_test=False).browse(token_ids).exists()
        email_from = message_dict.get("email_from")
        if len(token_ids) > 1:
            reason = "several_leads"
        elif not leads:
            reason = "unknown_lead"
        elif not leads._is_lead_correspondent(email_from):
            reason = "stranger"
        else:
            parent = self.env["mail.message"].browse(message_dict.get("parent_id"))
            # sudo: only where the replied-to message belongs is compared
            if parent and (parent.sudo().model, parent.sudo().res_id) != (
                Lead._name,
                leads.id,
            ):
                message_dict.pop("parent_id")
            user = self._mail_find_user_for_gateway(email_from)
            route = Lead._routing_check_route(
                message,
                message_dict,
                (Lead._name, leads.id, None, user.id or self._uid, None),
                raise_exception=True,
            )
            _logger.info(
                "Routing mail with Message-Id %s to lead %s by its subject token",
                message_dict.get("message_id"),
                leads.id,
            )
            return [route]
        # sudo: as above, the mail is kept for the users the rules let see it
        self.env["crm_support.held.mail"].sudo()._hold(message_dict, leads, reason)
        return []


def _message_bytes(message):
    """The raw bytes of a mail as ``message_process`` accepts it."""
    if isinstance(message, xmlrpc.client.Binary):
        return bytes(message.data)
    if isinstance(message, str):
        return message.encode("utf-8", errors="replace")
    if isinstance(message, email.message.Message):
        return message.as_bytes()
    return bytes(message)
