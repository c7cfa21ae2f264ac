import os
import shutil
import subprocess
from urllib.parse import quote_plus, urlencode

from odoo.tests import HttpCase, tagged
from odoo.tools import file_path, mute_logger

from ..models.crm_support_lead_intake import _fingerprint
from .lead_common import CrmSupportLeadCase

URL = "/integria/include/api.php"
PHP_FORM = "crm_support/tests/data/integria_create_lead.php"
# runs the sample form as a web server would after a post: $_POST from the
# command line (name=value pairs), then the form's answer from Odoo
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

    def _params(self, *values):
        """Integria's ``params``: each value URL-encoded, joined by commas."""
        return ",".join(quote_plus(str(value)) for value in values)

    def _lead_params(self, **overrides):
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
        return self._params(*values.values(), 1, 0)

    def _call(self, params, key=None, user="crm_form", op="create_lead", **extra):
        query = {"user": user, "op": op, **extra}
        if key is not None:
            query["pass"] = key
        url = f"{URL}?{urlencode(query)}&params={params}"
        with mute_logger("odoo.addons.crm_support.models.crm_support_lead_intake"):
            return self.url_open(url)

    def _leads(self, email="jimmy@pfms.example.com"):
        return self.env["crm.lead"].search([("email_from", "=", email)])

    def test_create_lead_answers_its_id(self):
        response = self._call(self._lead_params(), self.form_key)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Type"].startswith("text/plain"))
        lead = self._leads()
        self.assertEqual(len(lead), 1)
        self.assertEqual(response.text, str(lead.id))
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

    def test_post_and_integria_path(self):
        data = {
            "user": "crm_form",
            "pass": self.form_key,
            "op": "create_lead",
            "params": "Ann,ACME,ann@acme.example.com,ES,0,0",
        }
        with mute_logger("odoo.addons.crm_support.models.crm_support_lead_intake"):
            response = self.url_open("/include/api.php", data=data)
        self.assertEqual(response.status_code, 200)
        lead = self._leads("ann@acme.example.com")
        self.assertEqual(response.text, str(lead.id))
        self.assertEqual((lead.partner_name, lead.crm_progress), ("ACME", 0))

    def test_password_of_the_login(self):
        # new_test_user gives each user its login as password
        response = self._call(self._lead_params(), "crm_user1", user="crm_user1")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._leads().create_uid, self.user1)
        response = self._call(self._lead_params(), "wrong", user="crm_user1")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.text, "ERROR: Wrong user or password.")
        self.assertEqual(len(self._leads()), 1)

    def test_wrong_key_and_no_key(self):
        response = self._call(self._lead_params(), "not-a-key")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.text, "ERROR: Wrong user or password.")
        response = self._call(self._lead_params())
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.text, "ERROR: A password or an API key is required.")
        # a key given with the login of another user
        response = self._call(self._lead_params(), self.form_key, user="crm_user1")
        self.assertEqual(response.status_code, 401)
        self.assertFalse(self._leads())

    def test_unknown_op(self):
        response = self._call(self._lead_params(), self.form_key, op="get_incidents")
        self.assertEqual(response.status_code, 400)
        self.assertTrue(response.text.startswith("ERROR: op: 'get_incidents'"))
        self.assertFalse(self._leads())

    def test_too_few_params(self):
        response = self._call(self._params("Jimmy", "PFMS"), self.form_key)
        self.assertEqual(response.status_code, 400)
        self.assertIn("2 values given, at least 3", response.text)
        response = self._call(self._params("Jimmy", "PFMS", ""), self.form_key)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.text, "ERROR: email: required.")
        self.assertFalse(self.env["crm.lead"].search([("contact_name", "=", "Jimmy")]))

    def test_encoded_commas_stay_in_their_value(self):
        params = self._lead_params(company="PFMS, S.L.", comments="One, two")
        self.assertEqual(self._call(params, self.form_key).status_code, 200)
        lead = self._leads()
        self.assertEqual(lead.partner_name, "PFMS, S.L.")
        self.assertIn("One, two", lead.description)

    def test_spam_and_bad_values(self):
        response = self._call(
            self._lead_params(), self.form_key, homepage="http://spam.example.com"
        )
        self.assertEqual(response.status_code, 422)
        response = self._call(self._lead_params(email="not an address"), self.form_key)
        self.assertEqual(response.status_code, 400)
        response = self._call(self._lead_params(progress="55"), self.form_key)
        self.assertEqual(response.status_code, 400)
        self.assertIn("Integria Progress", response.text)
        response = self._call(self._lead_params(estimated_sale="lots"), self.form_key)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.env["crm.lead"].search([("contact_name", "=", "Jimmy")]))

    def test_rate_limit(self):
        self.env["ir.config_parameter"].set_param(
            "crm_support.lead_intake_max_per_address", 2
        )
        for _i in range(2):
            self.assertEqual(self._call(self._lead_params(), "bad").status_code, 401)
        response = self._call(self._lead_params(), self.form_key)
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response.headers["Retry-After"], "60")
        self.assertTrue(response.text.startswith("ERROR: "))
        self.assertFalse(self._leads())

    def test_password_guesses_count_per_login(self):
        self.env["ir.config_parameter"].set_param(
            "crm_support.lead_intake_max_per_key", 2
        )
        for guess in ("guess1", "guess2"):
            response = self._call(self._lead_params(), guess, user="crm_user1")
            self.assertEqual(response.status_code, 401)
        response = self._call(self._lead_params(), "crm_user1", user="crm_user1")
        self.assertEqual(response.status_code, 429)
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
        response = self._call(self._lead_params(), self.form_key)
        self.assertEqual(response.status_code, 200)

    def test_owner_only_when_assignable(self):
        # the form's user is a Write user: the owner is ignored
        params = self._lead_params(owner="crm_user1")
        self.assertEqual(self._call(params, self.form_key).status_code, 200)
        self.assertFalse(self._leads().user_id)
        # a Manage user may give leads owners
        params = self._lead_params(owner="crm_user1", email="b@pfms.example.com")
        response = self._call(params, self.manager_key, user="crm_manager1")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._leads("b@pfms.example.com").user_id, self.user1)
        params = self._lead_params(owner="nobody", email="c@pfms.example.com")
        response = self._call(params, self.manager_key, user="crm_manager1")
        self.assertEqual(response.status_code, 400)
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
        self.assertEqual(result.stdout, str(lead.id))
        self.assertEqual(
            (lead.contact_name, lead.partner_name, lead.function, lead.crm_progress),
            ("Jimmy Rodríguez", "PFMS, S.L.", "Developer", 0),
        )
        self.assertIn("¿Precio? 5 &amp; 6", lead.description)
        self.assertEqual(lead.create_uid, api_user)

    def test_no_password_only_from_listed_addresses(self):
        params = self._lead_params(email="listed@pfms.example.com")
        response = self._call(params, None, user="crm_form")
        self.assertEqual(response.status_code, 401)
        self.env["ir.config_parameter"].set_param(
            "crm_support.integria_api_addresses", "127.0.0.1"
        )
        response = self._call(params, None, user="crm_user2")
        self.assertEqual(response.status_code, 401)
        response = self._call(params, None, user="crm_form")
        self.assertEqual(response.status_code, 200)
        lead = self._leads("listed@pfms.example.com")
        self.assertEqual(lead.create_uid, self.form_user)
