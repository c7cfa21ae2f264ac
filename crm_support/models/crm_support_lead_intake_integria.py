import logging
import re
from urllib.parse import unquote_plus

from odoo import api, models
from odoo.exceptions import AccessDenied

from .crm_support_lead_intake import LeadIntakeError

_logger = logging.getLogger(__name__)

# the positional ``params`` of Integria's ``create_lead`` call, in the order of
# Integria's manual (its PHP example sends fourteen: the last two, "1,0", are
# not lead data and are ignored, as is anything after them)
INTEGRIA_LEAD_PARAMS = (
    "name",
    "company",
    "email",
    "country",
    "estimated_sale",
    "progress",
    "phone",
    "mobile",
    "role",
    "owner",
    "lang",
    "comments",
)
# what Odoo's API keys look like (20 random bytes in hex)
API_KEY_PATTERN = re.compile(r"[0-9a-f]{40}")
# full name, company and e-mail: the e-mail is required, so the params up to
# it must be there
MIN_INTEGRIA_PARAMS = 3
# Integria's ``token``, the separator of the values in ``params``
DEFAULT_INTEGRIA_TOKEN = ","
MAX_INTEGRIA_TOKEN_LENGTH = 5


class CrmSupportLeadIntake(models.AbstractModel):
    """Integria's ``create_lead`` API call, under the web-form intake's rules."""

    _inherit = "crm_support.lead.intake"

    @api.model
    def _intake_integria_credentials(self, call):
        """The login and the secret of a call's parameters.

        Integria 2.1's forms send the user's password as ``user_pass`` (and
        Integria's global API password as ``pass``, which has no counterpart
        here and is then ignored); older ones send it as ``pass``, which may
        also be a web-form API key.
        """
        return call.get("user") or "", call.get("user_pass") or call.get("pass") or ""

    @api.model
    def _intake_integria_split(self, raw_params, token=DEFAULT_INTEGRIA_TOKEN):
        """The decoded values of a raw (still URL-encoded) ``params`` value.

        Integria's clients URL-encode each value and join them with the
        ``token``; a separator inside a value therefore arrives encoded (a
        comma as ``%2C``) and is split out only once the separators are found.
        When the separator itself cannot be seen in the raw text (it was
        encoded too, or it holds ``%`` or ``+``, which encodings write), the
        values are split after decoding, as Integria did.
        """
        if token in raw_params and not {"%", "+"} & set(token):
            return [unquote_plus(value) for value in raw_params.split(token)]
        return unquote_plus(raw_params).split(token)

    @api.model
    def _intake_integria_values(self, call, raw_params=None):
        """The values of a call's ``params``, split on its ``token``.

        ``raw_params`` is the still-encoded value from a query string (GET),
        split before decoding; a posted ``params`` is split after decoding.
        """
        token = call.get("token", DEFAULT_INTEGRIA_TOKEN)
        length = len(token) if isinstance(token, str) else 0
        if not 0 < length <= MAX_INTEGRIA_TOKEN_LENGTH:
            raise LeadIntakeError(
                400,
                self.env._(
                    "token: the separator of params must have 1 to %(max)s "
                    "characters.",
                    max=MAX_INTEGRIA_TOKEN_LENGTH,
                ),
            )
        if raw_params is not None:
            return self._intake_integria_split(raw_params, token) if raw_params else []
        value = call.get("params")
        if isinstance(value, str) and value:
            return value.split(token)
        return []

    @api.model
    def _intake_integria_process(self, call, client_address, raw_params=None):
        """Create the lead of an Integria API call, or raise ``LeadIntakeError``.

        ``call`` holds the request's parameters (``op``, ``user``, ``pass``,
        ``user_pass``, ``token``, ``params``...); ``raw_params`` is ``params``
        as it came in the query string, still encoded, if it came there.
        """
        login, password = self._intake_integria_credentials(call)
        self._intake_check_rate(
            client_address, self._intake_integria_rate_key(login, password)
        )
        op = call.get("op")
        if op != "create_lead":
            raise LeadIntakeError(
                400,
                self.env._(
                    "op: %(op)r is not an operation of this API; only "
                    "create_lead is.",
                    op=op or "",
                ),
            )
        user = self._intake_integria_authenticate(login, password, client_address)
        self._intake_check_spam(call)
        values_list = self._intake_integria_values(call, raw_params)
        if len(values_list) < MIN_INTEGRIA_PARAMS:
            raise LeadIntakeError(
                400,
                self.env._(
                    "params: %(count)s values given, at least %(min)s expected "
                    "(full name, company, e-mail, ...).",
                    count=len(values_list),
                    min=MIN_INTEGRIA_PARAMS,
                ),
            )
        params = dict(zip(INTEGRIA_LEAD_PARAMS, values_list, strict=False))
        owner_login = (params.pop("owner", "") or "").strip()
        estimated_sale = (params.pop("estimated_sale", "") or "").strip()
        progress = (params.pop("progress", "") or "").strip()
        mobile = (params.pop("mobile", "") or "").strip()
        values, _ignored = self._intake_prepare_values(params)
        values["mobile"] = mobile
        values["expected_revenue"] = self._intake_integria_number(
            "estimated_sale", estimated_sale, float
        )
        if progress:
            values["crm_progress"] = self._intake_integria_number(
                "progress", progress, int
            )
        owner = self._intake_integria_owner(user, owner_login)
        if owner:
            values["user_id"] = owner.id
        return self._intake_create_lead(user, values)

    @api.model
    def _intake_integria_rate_key(self, login, password):
        """What the per-key rate limit counts: the key, or else the login.

        An API key counts together with its use by the intake; a password is
        never fingerprinted (not even hashed into the attempts), its login is.
        """
        if password and API_KEY_PATTERN.fullmatch(password):
            return password
        return f"login:{login or ''}"

    @api.model
    def _intake_integria_number(self, field, value, kind):
        if not value:
            return kind(0)
        try:
            return kind(value)
        except ValueError:
            raise LeadIntakeError(
                400,
                self.env._(
                    "%(field)s: %(value)r is not a number.", field=field, value=value
                ),
            ) from None

    @api.model
    def _intake_integria_authenticate(self, login, password, client_address=None):
        """The user of a web-form API key, or of a login and its password.

        The password is checked by Odoo's own credential check of that login,
        non-interactive (as XML-RPC does), which opens no session. Like
        Integria's API access list, a call without password is accepted from
        the addresses an administrator listed in the system parameter
        ``crm_support.integria_api_addresses`` (none by default), as the login
        it names.
        """
        if not password:
            if not self._intake_integria_is_listed(client_address):
                raise LeadIntakeError(
                    401, self.env._("A password or an API key is required.")
                )
            if not login:
                raise LeadIntakeError(
                    401,
                    self.env._(
                        "user: required: the login of the Odoo user the lead is "
                        "created as."
                    ),
                )
            return self._intake_integria_listed_user(login)
        uid = self._intake_key_user(password)
        if uid:
            # sudo: the key's owner, whose own rights then decide
            user = self.env["res.users"].sudo().browse(uid)
            if login and login != user.login:
                raise LeadIntakeError(
                    401, self.env._("The API key is not valid for this user.")
                )
            return self._intake_authenticate(password)
        # sudo: the login is looked up to check its password, nothing is read
        user = (
            self.env["res.users"].sudo().search([("login", "=", login or "")], limit=1)
        )
        if not user:
            raise LeadIntakeError(401, self.env._("Wrong user or password."))
        try:
            user.with_user(user)._check_credentials(
                {"type": "password", "login": login, "password": password},
                {"interactive": False},
            )
        except AccessDenied:
            raise LeadIntakeError(401, self.env._("Wrong user or password.")) from None
        return self._intake_integria_creator(user)

    @api.model
    def _intake_integria_creator(self, user):
        """``user``, if its own access rights let it create leads."""
        if not self.env["crm.lead"].with_user(user).has_access("create"):
            raise LeadIntakeError(
                403,
                self.env._("The user %(user)s may not create leads.", user=user.login),
            )
        return user

    @api.model
    def _intake_integria_is_listed(self, client_address):
        """Whether a call comes from an address the administrator listed."""
        # sudo: reads the administrator's list of trusted addresses
        listed = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_support.integria_api_addresses", "")
        )
        addresses = {address.strip() for address in listed.split(",")}
        return bool(client_address) and client_address in addresses

    @api.model
    def _intake_integria_listed_user(self, login):
        """The user a call from a listed address names."""
        # sudo: the login is looked up; its own rights then decide
        user = (
            self.env["res.users"]
            .sudo()
            .search([("login", "=", login), ("share", "=", False)], limit=1)
        )
        if not user:
            raise LeadIntakeError(401, self.env._("Wrong user or password."))
        return self._intake_integria_creator(user)

    @api.model
    def _intake_integria_owner(self, user, owner_login):
        """The owner named in the call, if the caller may give leads owners.

        Like the intake's privileged fields, an owner the caller may not assign
        (it is not a Manage user, and the owner is not itself) is ignored.
        """
        if not owner_login:
            return self.env["res.users"]
        if not (
            owner_login == user.login
            or user.has_group("crm_support.crm_support_group_manage")
        ):
            _logger.info("Integria create_lead: owner ignored, not assignable")
            return self.env["res.users"]
        # sudo: the owner's login is looked up only for a caller who may give
        # leads owners; the lead is then created under the caller's own rules
        owner = (
            self.env["res.users"]
            .sudo()
            .search([("login", "=", owner_login), ("share", "=", False)], limit=1)
        )
        if not owner:
            raise LeadIntakeError(
                400,
                self.env._(
                    "owner: no internal user has the login %(login)r.",
                    login=owner_login,
                ),
            )
        return owner
