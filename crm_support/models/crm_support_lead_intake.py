import hashlib
import logging
from collections import OrderedDict
from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.tools import SQL
from odoo.tools.mail import plaintext2html

from odoo.addons.base.models.res_users import INDEX_SIZE, KEY_CRYPT_CONTEXT

from .res_country import normalize

_logger = logging.getLogger(__name__)

# the scope of API keys made for web forms: such a key creates leads through
# the intake and nothing else (XML-RPC refuses it)
API_KEY_SCOPE = "crm_support.lead_intake"
# a field people never see and robots fill in
HONEYPOT_FIELD = "homepage"
FORM_FIELDS = ("name", "email", "company", "role", "country", "comments", "phone")
# Integria's sample form names its text area "comment"; "lang" picks templates
OPTIONAL_FIELDS = ("comment", "lang")
# parameters that are not lead data
TRANSPORT_FIELDS = ("api_key", "db", HONEYPOT_FIELD)
MAX_FIELD_LENGTH = 256
DEFAULTS = {
    "crm_support.lead_intake_max_comment": 65536,
    "crm_support.lead_intake_window": 60,
    "crm_support.lead_intake_max_per_address": 20,
    "crm_support.lead_intake_max_per_key": 600,
}


# keys this process already checked against their stored hash: (database,
# digest of the key) -> that hash. A request whose key row is unchanged skips
# the deliberately slow hash check; a removed or expired key is refused at once
# because the row is read on every request.
_verified_keys = OrderedDict()
MAX_VERIFIED_KEYS = 1024


class LeadIntakeError(Exception):
    """A web-form lead refused, with the HTTP status that says why."""

    def __init__(self, status, message, retry_after=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


class CrmSupportLeadIntake(models.AbstractModel):
    """Leads from web forms: authentication, rate limit, spam and values.

    Each step is its own method so that other entry points (Integria's
    ``create_lead`` call) apply exactly the same rules; ``_intake_process``
    chains them for the addon's own endpoint.
    """

    _name = "crm_support.lead.intake"
    _description = "Lead Intake from Web Forms"

    @api.model
    def _intake_param(self, key):
        # sudo: reads the intake's own limits, which hold no secret
        value = self.env["ir.config_parameter"].sudo().get_param(key)
        try:
            return int(value) if value else DEFAULTS[key]
        except ValueError:
            return DEFAULTS[key]

    @api.model
    def _intake_process(self, params, api_key, client_address):
        """Create the lead of a form post, or raise ``LeadIntakeError``."""
        self._intake_check_rate(client_address, api_key)
        user = self._intake_authenticate(api_key)
        self._intake_check_spam(params)
        values, ignored = self._intake_prepare_values(params)
        return self._intake_create_lead(user, values), ignored

    @api.model
    def _intake_check_rate(self, client_address, api_key=None):
        """Count this attempt; refuse it past the limits of its address or key.

        Every attempt counts, refused ones included, so that guessing keys or
        flooding keeps the client out until it stops for a whole window.
        """
        window = self._intake_param("crm_support.lead_intake_window")
        fingerprint = _fingerprint(api_key)
        self._intake_record_attempt(client_address, api_key)
        # sudo: the attempts are the intake's own bookkeeping, which only
        # administrators may read; only counts leave this method
        Attempt = self.env["crm_support.lead.intake.attempt"].sudo()
        since = fields.Datetime.now() - timedelta(seconds=window)
        # one query counts both: per address and key, summed below
        groups = Attempt._read_group(
            [
                ("create_date", ">=", since),
                "|",
                ("client_address", "=", client_address),
                ("key_fingerprint", "=", fingerprint),
            ],
            ["client_address", "key_fingerprint"],
            ["__count"],
        )
        counts = {
            "client_address": sum(
                n for address, _key, n in groups if address == client_address
            ),
            "key_fingerprint": sum(
                n for _address, key, n in groups if fingerprint and key == fingerprint
            ),
        }
        limits = {
            "client_address": self._intake_param(
                "crm_support.lead_intake_max_per_address"
            ),
            "key_fingerprint": self._intake_param(
                "crm_support.lead_intake_max_per_key"
            ),
        }
        for fname, count in counts.items():
            if count > limits[fname]:
                _logger.warning(
                    "Lead intake: too many attempts per %s, request refused", fname
                )
                raise LeadIntakeError(
                    429,
                    self.env._("Too many requests: try again later."),
                    retry_after=window,
                )

    @api.model
    def _intake_record_attempt(self, client_address, api_key=None):
        # sudo: the attempts are bookkeeping of the endpoint, no user's data
        self.env["crm_support.lead.intake.attempt"].sudo().create(
            {"client_address": client_address, "key_fingerprint": _fingerprint(api_key)}
        )

    @api.model
    def _intake_authenticate(self, api_key):
        """The user of an API key, who must be allowed to create leads."""
        if not api_key:
            raise LeadIntakeError(401, self.env._("An API key is required."))
        uid = self._intake_key_user(api_key)
        if not uid:
            raise LeadIntakeError(401, self.env._("The API key is not valid."))
        # sudo: the key's owner, whose own rights then decide what is created
        user = self.env["res.users"].sudo().browse(uid)
        if not self.env["crm.lead"].with_user(user).has_access("create"):
            raise LeadIntakeError(
                403,
                self.env._(
                    "The user of this API key, %(user)s, may not create leads.",
                    user=user.login,
                ),
            )
        return user

    @api.model
    def _intake_key_user(self, api_key):
        """The user id of a valid web-form (or general) API key, or None.

        The same lookup as ``res.users.apikeys._check_credentials``, whose
        table is not an ORM one, plus the cache of verified keys.
        """
        self.env.cr.execute(
            SQL(
                """
                SELECT k.user_id, k.key
                  FROM res_users_apikeys k
                  JOIN res_users u ON u.id = k.user_id
                 WHERE u.active
                   AND k.index = %s
                   AND (k.scope IS NULL OR k.scope = %s)
                   AND (k.expiration_date IS NULL
                        OR k.expiration_date >= now() at time zone 'utc')
                """,
                api_key[:INDEX_SIZE],
                API_KEY_SCOPE,
            )
        )
        digest = (self.env.cr.dbname, hashlib.sha256(api_key.encode()).digest())
        for user_id, stored in self.env.cr.fetchall():
            if _verified_keys.get(digest) == stored:
                return user_id
            if KEY_CRYPT_CONTEXT.verify(api_key, stored):
                _verified_keys[digest] = stored
                while len(_verified_keys) > MAX_VERIFIED_KEYS:
                    _verified_keys.popitem(last=False)
                return user_id
        return None

    @api.model
    def _intake_check_spam(self, params):
        if (params.get(HONEYPOT_FIELD) or "").strip():
            _logger.info("Lead intake: honeypot field filled, request refused")
            raise LeadIntakeError(422, self.env._("The form was rejected as spam."))

    @api.model
    def _intake_prepare_values(self, params):
        """The lead values of a form post, and the names of ignored fields.

        Only the form's fields are read: anything else (owner, stage...) is
        ignored and named in the answer. Text stays text: the comments become
        escaped HTML.
        """
        accepted = FORM_FIELDS + OPTIONAL_FIELDS + TRANSPORT_FIELDS
        ignored = sorted(name for name in params if name not in accepted)

        def text(name):
            value = params.get(name) or ""
            value = value.strip() if isinstance(value, str) else ""
            if len(value) > MAX_FIELD_LENGTH:
                raise LeadIntakeError(
                    400,
                    self.env._(
                        "%(field)s: at most %(max)s characters.",
                        field=name,
                        max=MAX_FIELD_LENGTH,
                    ),
                )
            return value

        name, email, company = text("name"), text("email"), text("company")
        for field, value in (("name", name), ("email", email)):
            if not value:
                raise LeadIntakeError(
                    400, self.env._("%(field)s: required.", field=field)
                )
        if not tools.email_normalize(email):
            raise LeadIntakeError(
                400,
                self.env._("email: %(email)r is not an e-mail address.", email=email),
            )
        comments = params.get("comments") or params.get("comment") or ""
        if not isinstance(comments, str):
            # a file posted under that name: not text, not kept
            comments = ""
        max_comment = self._intake_param("crm_support.lead_intake_max_comment")
        if len(comments) > max_comment:
            raise LeadIntakeError(
                413,
                self.env._("comments: at most %(max)s characters.", max=max_comment),
            )

        country_name = text("country")
        country = self._intake_find_country(country_name)
        if country_name and not country:
            comments = f"{comments}\n\n{country_name}".strip()
        lang = self._intake_find_lang(text("lang"))
        medium = self.env.ref("utm.utm_medium_website", raise_if_not_found=False)
        values = {
            "name": f"{company}, {name}" if company else name,
            "contact_name": name,
            "partner_name": company,
            "email_from": email,
            "function": text("role"),
            "phone": text("phone"),
            "country_id": country.id,
            "lang_id": lang.id,
            "description": plaintext2html(comments) if comments else False,
            # web leads wait unowned until a salesperson takes them
            "user_id": False,
            "medium_id": medium.id if medium else False,
        }
        return values, ignored

    @api.model
    def _intake_find_country(self, value):
        return self.env["res.country"].browse(
            value and self._intake_country_id(normalize(value))
        )

    @api.model
    @tools.ormcache("value")
    def _intake_country_id(self, value):
        """The country of an ISO code or a name in any installed language, as
        the CSV imports find them (cached: forms repeat them)."""
        # sudo: countries are public; the caller has no session
        Country = self.env["res.country"].sudo()
        return Country._crm_support_find(value, Country._crm_support_index()) or False

    @api.model
    def _intake_find_lang(self, value):
        # sudo: languages are public settings; the caller has no session
        Lang = self.env["res.lang"].sudo()
        if not value:
            return Lang
        return Lang.search(
            [
                "|",
                ("code", "=ilike", value.replace("-", "_")),
                ("iso_code", "=ilike", value),
            ],
            limit=1,
        )

    @api.model
    def _intake_create_lead(self, user, values):
        """Create the lead as the key's user, under that user's rules."""
        return (
            self.env["crm.lead"]
            .with_user(user)
            .with_context(mail_create_nosubscribe=True)
            .create(values)
        )

    @api.model
    def _intake_generate_key(self, user, name):
        """A new web-form API key of a user: valid for the intake only."""
        # sudo: an administrator makes the key of the form's user, without
        # the expiration Odoo imposes on keys users make for themselves
        return (
            self.env["res.users.apikeys"]
            .with_user(user)
            .sudo()
            ._generate(API_KEY_SCOPE, name, None)
        )


def _fingerprint(api_key):
    """A stable identifier of a key that does not reveal it."""
    if not api_key:
        return False
    return hashlib.sha256(api_key.encode("utf-8", "replace")).hexdigest()[:32]
