import os
import shutil
import subprocess
from urllib.parse import quote_plus, unquote, urlencode

from odoo.tests import HttpCase, tagged
from odoo.tools import file_path, mute_logger

from ..models.crm_support_lead_intake import _fingerprint
from .lead_common import CrmSupportLeadCase

URL = "/integria/include/api.php"
XML_ANSWER = "<xml version='1.0' encoding='UTF-8'>\n<data>%s</data>\n</xml>\n"
PHP_FORM = "crm_support/tests/data/integria_create_lead.php"
# runs the sample form as a web server would after a post: $_POST from the
# command line (name=value pairs), then prints the form's $ret, Odoo's answer
PHP_RUNNER = (
    "foreach (array_slice($argv, 2) as $pair) {"
    ' [$k, $v] = explode("=", $pair, 2); $_POST[$k] = $v; }'
    " ob_start(); include $argv[1]; ob_end_clean(); echo $ret;"
)


@tagged("post_install", "-at_install", "crm_support")
class TestLeadIntegriaApi(CrmSupportLeadCase, HttpCase):
    """Integria's ``create_lead`` API call over real HTTP requests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Intake = cls.env["crm_support.lead.intake"]
        cls.form_user = cls.user3.copy(
            {"login": "crm_form", "name": "Web form", "crm_company_id": False}
        )
        cls.form_key = Intake._intake_generate_key(cls.form_user, "web form")
        cls.manager_key = Intake._intake_generate_key(cls.manager1, "manager form")

    def _params(self, *values, token=","):
        """Integria's ``params``: each value URL-encoded, joined by ``token``."""
        return token.join(quote_plus(str(value)) for value in values)

    def _lead_params(self, token=",", **overrides):
        values = {
            "name": "Jimmy Rodriguez",
            "company": "PFMS",
            "email": "jimmy@pfms.example.com",
            "country": "Spain",
            "estimated_sale": "1500",
            "progress": "20",
            "phone": "+34 911 000 000",
            "mobile": "+34 600 000 000",
            "role": "Developer",
            "owner": "",
            "lang": "",
            "comments": "Call me, please.",
            **overrides,
        }
        return self._params(*values.values(), 1, 0, token=token)

    def _call(self, params, key=None, user="crm_form", op="create_lead", **extra):
        query = {"op": op, **extra}
        if user is not None:
            query["user"] = user
        if key is not None:
            query["pass"] = key
        url = f"{URL}?{urlencode(query)}&params={params}"
        with mute_logger("odoo.addons.crm_support.models.crm_support_lead_intake"):
            return self.url_open(url)

    def _leads(self, email="jimmy@pfms.example.com"):
        return self.env["crm.lead"].search([("email_from", "=", email)])

    def assertCreated(self, response, email="jimmy@pfms.example.com"):
        """Integria's ``1``, and the id of the one lead created in the header."""
        lead = self._leads(email)
        self.assertEqual(len(lead), 1)
        self.assertEqual(
            (response.status_code, response.text),
            (200, "1"),
            response.headers.get("X-Crm-Support-Error"),
        )
        self.assertEqual(response.headers["X-Crm-Support-Lead-Id"], str(lead.id))
        self.assertNotIn("X-Crm-Support-Error", response.headers)
        return lead

    def assertRefused(self, response, status, reason):
        """Integria's ``0``, the status, and the reason (its start) in the header."""
        self.assertEqual((response.status_code, response.text), (status, "0"))
        self.assertTrue(response.headers["Content-Type"].startswith("text/plain"))
        self.assertNotIn("X-Crm-Support-Lead-Id", response.headers)
        header = response.headers["X-Crm-Support-Error"]
        self.assertTrue(header.isascii())
        self.assertTrue(unquote(header).startswith(reason), unquote(header))

    def test_create_lead_answers_one(self):
        response = self._call(self._lead_params(), self.form_key)
        self.assertTrue(response.headers["Content-Type"].startswith("text/plain"))
        lead = self.assertCreated(response)
        self.assertEqual(
            (
                lead.contact_name,
                lead.partner_name,
                lead.function,
                lead.phone,
                lead.mobile,
                lead.expected_revenue,
                lead.crm_progress,
            ),
            (
                "Jimmy Rodriguez",
                "PFMS",
                "Developer",
                "+34 911 000 000",
                "+34 600 000 000",
                1500.0,
                20,
            ),
        )
        self.assertEqual(lead.country_id, self.env.ref("base.es"))
        self.assertIn("Call me, please.", lead.description)
        self.assertFalse(lead.user_id)
        self.assertEqual(lead.create_uid, self.form_user)

    def test_lead_id_header_names_the_new_lead(self):
        first = self.assertCreated(self._call(self._lead_params(), self.form_key))
        params = self._lead_params(email="second@pfms.example.com")
        response = self._call(params, self.form_key)
        second = self.assertCreated(response, "second@pfms.example.com")
        self.assertNotEqual(first, second)
        lead = self.env["crm.lead"].browse(
            int(response.headers["X-Crm-Support-Lead-Id"])
        )
        self.assertEqual(lead.email_from, "second@pfms.example.com")

    def test_unknown_country_goes_to_the_description(self):
        params = self._lead_params(country="Ruritania")
        lead = self.assertCreated(self._call(params, self.form_key))
        self.assertFalse(lead.country_id)
        self.assertIn("Ruritania", lead.description)

    def test_country_by_name_in_any_installed_language(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["base"], ["es_ES", "fr_FR"])
        for number, country in enumerate(("España", "Espagne", "  espagne ")):
            email = f"country{number}@pfms.example.com"
            params = self._lead_params(email=email, country=country)
            lead = self.assertCreated(self._call(params, self.form_key), email)
            self.assertEqual(lead.country_id, self.env.ref("base.es"), country)
            self.assertNotIn(country.strip(), lead.description)

    def test_post_and_integria_path(self):
        data = {
            "user": "crm_form",
            "pass": self.form_key,
            "op": "create_lead",
            "params": "Ann,ACME,ann@acme.example.com,ES,0,0",
        }
        with mute_logger("odoo.addons.crm_support.models.crm_support_lead_intake"):
            response = self.url_open("/include/api.php", data=data)
        lead = self.assertCreated(response, "ann@acme.example.com")
        self.assertEqual((lead.partner_name, lead.crm_progress), ("ACME", 0))

    def test_password_of_the_login(self):
        # new_test_user gives each user its login as password
        response = self._call(self._lead_params(), "crm_user1", user="crm_user1")
        self.assertEqual(self.assertCreated(response).create_uid, self.user1)
        response = self._call(self._lead_params(), "wrong", user="crm_user1")
        self.assertRefused(response, 401, "Wrong user or password.")
        self.assertEqual(len(self._leads()), 1)

    def test_user_pass_is_the_password(self):
        # Integria 2.1's forms: the user's password in user_pass, the global
        # API password (none here: ignored) in pass
        response = self._call(
            self._lead_params(),
            "integria-global",
            user="crm_user1",
            user_pass="crm_user1",
        )
        self.assertEqual(self.assertCreated(response).create_uid, self.user1)
        params = self._lead_params(email="alone@pfms.example.com")
        response = self._call(params, user="crm_user1", user_pass="crm_user1")
        lead = self.assertCreated(response, "alone@pfms.example.com")
        self.assertEqual(lead.create_uid, self.user1)
        # user_pass decides when both are given: a right pass does not help
        params = self._lead_params(email="wrong@pfms.example.com")
        response = self._call(params, "crm_user1", user="crm_user1", user_pass="no")
        self.assertRefused(response, 401, "Wrong user or password.")
        self.assertFalse(self._leads("wrong@pfms.example.com"))

    def test_user_pass_guesses_count_per_login(self):
        self.env["ir.config_parameter"].set_param(
            "crm_support.lead_intake_max_per_key", 2
        )
        for guess in ("guess1", "guess2"):
            response = self._call(
                self._lead_params(), user="crm_user1", user_pass=guess
            )
            self.assertRefused(response, 401, "Wrong user or password.")
        response = self._call(
            self._lead_params(), "crm_user1", user="crm_user1", user_pass="crm_user1"
        )
        self.assertRefused(response, 429, "Too many requests")
        self.assertFalse(self._leads())

    def test_wrong_key_and_no_key(self):
        response = self._call(self._lead_params(), "not-a-key")
        self.assertRefused(response, 401, "Wrong user or password.")
        response = self._call(self._lead_params())
        self.assertRefused(response, 401, "A password or an API key is required.")
        # a key given with the login of another user
        response = self._call(self._lead_params(), self.form_key, user="crm_user1")
        self.assertRefused(response, 401, "The API key is not valid for this user.")
        self.assertFalse(self._leads())

    def test_user_who_may_not_create_leads(self):
        response = self._call(self._lead_params(), "crm_reader1", user="crm_reader1")
        self.assertRefused(response, 403, "The user crm_reader1 may not create leads.")
        self.assertFalse(self._leads())

    def test_unknown_op(self):
        response = self._call(self._lead_params(), self.form_key, op="get_incidents")
        self.assertRefused(response, 400, "op: 'get_incidents'")
        self.assertFalse(self._leads())

    def test_too_few_params(self):
        response = self._call(self._params("Jimmy", "PFMS"), self.form_key)
        self.assertRefused(response, 400, "params: 2 values given, at least 3")
        response = self._call(self._params("Jimmy", "PFMS", ""), self.form_key)
        self.assertRefused(response, 400, "email: required.")
        self.assertFalse(self.env["crm.lead"].search([("contact_name", "=", "Jimmy")]))

    def test_encoded_commas_stay_in_their_value(self):
        params = self._lead_params(company="PFMS, S.L.", comments="One, two")
        lead = self.assertCreated(self._call(params, self.form_key))
        self.assertEqual(lead.partner_name, "PFMS, S.L.")
        self.assertIn("One, two", lead.description)

    def test_token_splits_params(self):
        # the separator sent as it is, the one inside a value encoded (%3B)
        params = self._lead_params(
            token=";", company="PFMS, S.L.; Spain", comments="One, two"
        )
        self.assertIn(";", params)
        lead = self.assertCreated(self._call(params, self.form_key, token=";"))
        self.assertEqual(lead.partner_name, "PFMS, S.L.; Spain")
        self.assertEqual((lead.crm_progress, lead.function), (20, "Developer"))
        self.assertIn("One, two", lead.description)
        # a longer token, posted: split after decoding, as Integria did
        data = {
            "user": "crm_form",
            "pass": self.form_key,
            "op": "create_lead",
            "token": "|;|",
            "params": "Ann|;|ACME, Inc.|;|ann@acme.example.com|;|ES",
        }
        with mute_logger("odoo.addons.crm_support.models.crm_support_lead_intake"):
            response = self.url_open(URL, data=data)
        lead = self.assertCreated(response, "ann@acme.example.com")
        self.assertEqual(
            (lead.partner_name, lead.country_id.code), ("ACME, Inc.", "ES")
        )

    def test_separators_encoded_too_split_after_decoding(self):
        # the whole of params URL-encoded: no separator can be seen before
        # decoding, so the values are split after it, as Integria did
        params = quote_plus("Ann;ACME;ann@acme.example.com;ES")
        response = self._call(params, self.form_key, token=";")
        lead = self.assertCreated(response, "ann@acme.example.com")
        self.assertEqual(lead.partner_name, "ACME")

    def test_bad_token(self):
        for token in ("", "######"):
            params = self._lead_params(token=token or ",")
            response = self._call(params, self.form_key, token=token)
            self.assertRefused(
                response, 400, "token: the separator of params must have 1 to 5"
            )
        self.assertFalse(self._leads())

    def test_return_type_xml(self):
        response = self._call(self._lead_params(), self.form_key, return_type="xml")
        self.assertEqual((response.status_code, response.text), (200, XML_ANSWER % 1))
        self.assertTrue(response.headers["Content-Type"].startswith("text/xml"))
        lead = self._leads()
        self.assertEqual(response.headers["X-Crm-Support-Lead-Id"], str(lead.id))
        response = self._call(self._lead_params(), "wrong", return_type="xml")
        self.assertEqual((response.status_code, response.text), (401, XML_ANSWER % 0))
        self.assertEqual(
            response.headers["X-Crm-Support-Error"], "Wrong user or password."
        )
        # any other return type is csv: the bare value
        params = self._lead_params(email="json@pfms.example.com")
        response = self._call(params, self.form_key, return_type="json")
        self.assertCreated(response, "json@pfms.example.com")
        self.assertEqual(len(self._leads()), 1)

    def test_spam_and_bad_values(self):
        response = self._call(
            self._lead_params(), self.form_key, homepage="http://spam.example.com"
        )
        self.assertRefused(response, 422, "The form was rejected as spam.")
        response = self._call(self._lead_params(email="ñandú"), self.form_key)
        # the reason is percent-encoded UTF-8 in the header
        self.assertRefused(response, 400, "email: 'ñandú' is not an e-mail address.")
        self.assertIn("%C3%B1and%C3%BA", response.headers["X-Crm-Support-Error"])
        response = self._call(self._lead_params(progress="55"), self.form_key)
        self.assertRefused(response, 400, "")
        self.assertIn(
            "Integria Progress", unquote(response.headers["X-Crm-Support-Error"])
        )
        response = self._call(self._lead_params(estimated_sale="lots"), self.form_key)
        self.assertRefused(response, 400, "estimated_sale: 'lots' is not a number.")
        response = self._call(self._lead_params(role="x" * 300), self.form_key)
        self.assertRefused(response, 400, "role: at most 256 characters.")
        self.assertFalse(self.env["crm.lead"].search([("contact_name", "=", "Jimmy")]))
        self.assertFalse(self._leads())

    def test_comments_too_long(self):
        self.env["ir.config_parameter"].set_param(
            "crm_support.lead_intake_max_comment", 10
        )
        response = self._call(self._lead_params(), self.form_key)
        self.assertRefused(response, 413, "comments: at most 10 characters.")
        self.assertFalse(self._leads())

    def test_rate_limit(self):
        self.env["ir.config_parameter"].set_param(
            "crm_support.lead_intake_max_per_address", 2
        )
        for _i in range(2):
            response = self._call(self._lead_params(), "bad")
            self.assertRefused(response, 401, "Wrong user or password.")
        response = self._call(self._lead_params(), self.form_key)
        self.assertRefused(response, 429, "Too many requests: try again later.")
        self.assertEqual(response.headers["Retry-After"], "60")
        self.assertFalse(self._leads())

    def test_password_guesses_count_per_login(self):
        self.env["ir.config_parameter"].set_param(
            "crm_support.lead_intake_max_per_key", 2
        )
        for guess in ("guess1", "guess2"):
            response = self._call(self._lead_params(), guess, user="crm_user1")
            self.assertRefused(response, 401, "Wrong user or password.")
        response = self._call(self._lead_params(), "crm_user1", user="crm_user1")
        self.assertRefused(response, 429, "Too many requests")
        self.assertFalse(self._leads())
        # passwords are never kept, not even as fingerprints
        fingerprints = (
            self.env["crm_support.lead.intake.attempt"]
            .search([])
            .mapped("key_fingerprint")
        )
        self.assertNotIn(_fingerprint("crm_user1"), fingerprints)
        self.assertIn(_fingerprint("login:crm_user1"), fingerprints)
        # another login is not held back
        self.assertCreated(self._call(self._lead_params(), self.form_key))

    def test_owner_only_when_assignable(self):
        # the form's user is a Write user: the owner is ignored
        params = self._lead_params(owner="crm_user1")
        self.assertFalse(self.assertCreated(self._call(params, self.form_key)).user_id)
        # a Manage user may give leads owners
        params = self._lead_params(owner="crm_user1", email="b@pfms.example.com")
        response = self._call(params, self.manager_key, user="crm_manager1")
        lead = self.assertCreated(response, "b@pfms.example.com")
        self.assertEqual(lead.user_id, self.user1)
        params = self._lead_params(owner="nobody", email="c@pfms.example.com")
        response = self._call(params, self.manager_key, user="crm_manager1")
        self.assertRefused(response, 400, "owner: no internal user has the login")
        self.assertFalse(self._leads("c@pfms.example.com"))

    def test_integria_php_form(self):
        php = shutil.which("php")
        self.assertTrue(php, "php-cli is required for this test")
        # the sample's API user, calling from an address the administrator
        # listed, as Integria's API access list did
        api_user = self.form_user.copy({"login": "api_user", "name": "API user"})
        self.env["ir.config_parameter"].set_param(
            "crm_support.integria_api_addresses", "10.0.0.1, 127.0.0.1"
        )
        env = {**os.environ, "INTEGRIA_URL": f"{self.base_url()}/integria"}
        post = {
            "name": "Jimmy Rodríguez",
            "email": "jimmy@pfms.example.com",
            "company": "PFMS, S.L.",
            "role": "Developer",
            "country": "España",
            "comments": "¿Precio? 5 & 6",
        }
        result = subprocess.run(
            [
                php,
                "-r",
                PHP_RUNNER,
                "--",
                file_path(PHP_FORM),
                *(f"{name}={value}" for name, value in post.items()),
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        lead = self._leads()
        self.assertEqual(len(lead), 1)
        # the form's $ret: Integria's answer to a lead created
        self.assertEqual(result.stdout, "1")
        self.assertEqual(
            (lead.contact_name, lead.partner_name, lead.function, lead.crm_progress),
            ("Jimmy Rodríguez", "PFMS, S.L.", "Developer", 0),
        )
        self.assertEqual(lead.country_id, self.env.ref("base.es"))
        self.assertIn("¿Precio? 5 &amp; 6", lead.description)
        self.assertEqual(lead.create_uid, api_user)

    def test_no_password_only_from_listed_addresses(self):
        params = self._lead_params(email="listed@pfms.example.com")
        response = self._call(params, None, user="crm_form")
        self.assertRefused(response, 401, "A password or an API key is required.")
        self.env["ir.config_parameter"].set_param(
            "crm_support.integria_api_addresses", "127.0.0.1"
        )
        # a portal user is no API user
        response = self._call(params, None, user="crm_user2")
        self.assertRefused(response, 401, "Wrong user or password.")
        response = self._call(params, None, user="crm_form")
        lead = self.assertCreated(response, "listed@pfms.example.com")
        self.assertEqual(lead.create_uid, self.form_user)

    def test_no_user_from_a_listed_address(self):
        self.env["ir.config_parameter"].set_param(
            "crm_support.integria_api_addresses", "127.0.0.1"
        )
        params = self._lead_params(email="nouser@pfms.example.com")
        response = self._call(params, None, user=None)
        self.assertRefused(response, 401, "user: required")
        response = self._call(params, None, user="")
        self.assertRefused(response, 401, "user: required")
        self.assertFalse(self._leads("nouser@pfms.example.com"))
        # from an address nobody listed, the password is what is missing
        self.env["ir.config_parameter"].set_param(
            "crm_support.integria_api_addresses", "10.0.0.1"
        )
        response = self._call(params, None, user=None)
        self.assertRefused(response, 401, "A password or an API key is required.")
