import xmlrpc.client

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .lead_common import CrmSupportLeadCase

URL = "/crm_support/leads"


@tagged("post_install", "-at_install", "crm_support")
class TestLeadIntake(CrmSupportLeadCase, HttpCase):
    """The web-form endpoint over real HTTP requests, and XML-RPC beside it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Intake = cls.env["crm_support.lead.intake"]
        cls.form_user = cls.user3.copy(
            {"login": "crm_form", "name": "Web form", "crm_company_id": False}
        )
        cls.form_key = Intake._intake_generate_key(cls.form_user, "web form")
        cls.reader_key = Intake._intake_generate_key(cls.reader1, "reader form")
        cls.user1_key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.user1)
            .sudo()
            ._generate(None, "scripts", None)
        )

    def _post(self, data, key=None, headers=None):
        data = dict(data)
        if key:
            data["api_key"] = key
        with mute_logger("odoo.addons.crm_support.models.crm_support_lead_intake"):
            return self.url_open(URL, data=data, headers=headers)

    def _form(self, **values):
        return {
            "name": "Jimmy Rodriguez",
            "email": "jimmy@pfms.example.com",
            "company": "PFMS",
            "role": "Developer",
            "country": "Spain",
            "comments": "Please call me.",
            **values,
        }

    def _leads(self, email="jimmy@pfms.example.com"):
        return self.env["crm.lead"].search([("email_from", "=", email)])

    def test_form_post_creates_an_unowned_lead(self):
        response = self._post(self._form(), self.form_key)
        self.assertEqual(response.status_code, 201)
        lead = self._leads()
        self.assertEqual(response.json(), {"id": lead.id, "ignored": []})
        self.assertEqual(
            (lead.contact_name, lead.partner_name, lead.function, lead.name),
            ("Jimmy Rodriguez", "PFMS", "Developer", "PFMS, Jimmy Rodriguez"),
        )
        self.assertEqual(lead.country_id, self.env.ref("base.es"))
        self.assertEqual(lead.medium_id, self.env.ref("utm.utm_medium_website"))
        self.assertFalse(lead.user_id)
        self.assertFalse(lead.is_email_duplicate)
        self.assertEqual(lead.create_uid, self.form_user)
        # it waits in the pipeline of every Write user, user1 included
        self.assertIn(lead, self.env["crm.lead"].with_user(self.user1).search([]))

    def test_country_by_exact_name_or_code_only(self):
        Intake = self.env["crm_support.lead.intake"]
        germany = self.env.ref("base.de")
        for value, country in (
            ("Germany", germany),
            ("germany", germany),
            ("DE", germany),
            ("de", germany),
            ("Narnia", self.env["res.country"]),
            ("Atlantis", self.env["res.country"]),
        ):
            self.assertEqual(Intake._intake_find_country(value), country, value)

    def test_country_by_name_in_any_installed_language(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["base"], ["es_ES", "fr_FR"])
        spain = self.env.ref("base.es")
        for value in ("España", "españa", "Espagne", "ESPAGNE", "Spain", "ES"):
            country = self.env["crm_support.lead.intake"]._intake_find_country(value)
            self.assertEqual(country, spain, value)
        # what a Spanish visitor types reaches the lead's country, not its notes
        response = self._post(self._form(country="España"), self.form_key)
        lead = self.env["crm.lead"].browse(response.json()["id"])
        self.assertEqual(lead.country_id, spain)
        self.assertNotIn("España", lead.description or "")

    def test_key_in_headers(self):
        headers = {"X-Api-Key": self.form_key}
        self.assertEqual(self._post(self._form(), headers=headers).status_code, 201)
        headers = {"Authorization": f"Bearer {self.form_key}"}
        response = self._post(self._form(email="b@pfms.example.com"), headers=headers)
        self.assertEqual(response.status_code, 201)

    def test_duplicate_email_is_flagged(self):
        first = self._post(self._form(), self.form_key).json()["id"]
        second = self._post(self._form(), self.form_key).json()["id"]
        leads = self.env["crm.lead"].browse([first, second])
        self.assertEqual(leads.mapped("is_email_duplicate"), [False, True])
        # a lost lead is not open any more
        leads.action_set_lost()
        third = self._post(self._form(), self.form_key).json()["id"]
        self.assertFalse(self.env["crm.lead"].browse(third).is_email_duplicate)

    def test_no_key_and_wrong_key(self):
        response = self._post(self._form())
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json(), {"error": "An API key is required."})
        response = self._post(self._form(), self.form_key[:-4] + "0000")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json(), {"error": "The API key is not valid."})
        self.assertFalse(self._leads())

    def test_key_of_a_user_who_may_not_create_leads(self):
        response = self._post(self._form(), self.reader_key)
        self.assertEqual(response.status_code, 403)
        self.assertIn("crm_reader1", response.json()["error"])
        self.assertFalse(self._leads())

    def test_honeypot(self):
        response = self._post(self._form(homepage="http://spam.example"), self.form_key)
        self.assertEqual(response.status_code, 422)
        self.assertFalse(self._leads())

    def test_flood(self):
        self.env["ir.config_parameter"].set_param(
            "crm_support.lead_intake_max_per_address", "3"
        )
        statuses = [
            self._post(self._form(email=f"f{i}@pfms.example.com"), self.form_key)
            for i in range(5)
        ]
        self.assertEqual([r.status_code for r in statuses], [201, 201, 201, 429, 429])
        self.assertEqual(statuses[-1].headers["Retry-After"], "60")
        # guessing keys counts too
        self.assertEqual(self._post(self._form(), "guess").status_code, 429)
        self.assertEqual(
            len(self.env["crm.lead"].search([("email_from", "like", "@pfms")])), 3
        )

    def test_flood_per_key(self):
        self.env["ir.config_parameter"].set_param(
            "crm_support.lead_intake_max_per_key", "2"
        )
        codes = [
            self._post(
                self._form(email=f"k{i}@pfms.example.com"), self.form_key
            ).status_code
            for i in range(3)
        ]
        self.assertEqual(codes, [201, 201, 429])
        # another key is not held back by this one
        other = self._post(self._form(), self.user1_key)
        self.assertEqual(other.status_code, 201)

    def test_privileged_fields_are_ignored(self):
        won = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        response = self._post(
            self._form(
                user_id=self.user1.id,
                stage_id=won.id,
                probability="100",
                crm_progress="200",
                priority="3",
            ),
            self.form_key,
        )
        self.assertEqual(response.status_code, 201)
        self.assertEqual(
            response.json()["ignored"],
            ["crm_progress", "priority", "probability", "stage_id", "user_id"],
        )
        lead = self._leads()
        self.assertFalse(lead.user_id)
        self.assertNotEqual(lead.stage_id, won)
        self.assertEqual(lead.crm_progress, 0)
        self.assertEqual(lead.priority, "0")

    def test_one_megabyte_comment(self):
        response = self._post(self._form(comments="x" * 1_000_000), self.form_key)
        self.assertEqual(response.status_code, 413)
        self.assertIn("comments", response.json()["error"])
        self.assertFalse(self._leads())

    def test_html_stays_text(self):
        script = '<script>alert("x")</script><b>bold</b>'
        response = self._post(
            self._form(name=f"Jim {script}", comments=f"Hi {script}\nbye"),
            self.form_key,
        )
        self.assertEqual(response.status_code, 201)
        lead = self._leads()
        self.assertEqual(lead.contact_name, f"Jim {script}")
        self.assertNotIn("<script", lead.description)
        self.assertNotIn("<b>", lead.description)
        self.assertIn("&lt;script&gt;alert(", lead.description)
        # wherever the addon writes lead data into HTML, it is escaped
        summary = str(
            self.env["ir.qweb"]._render(
                "crm_support.crm_lead_forward_summary",
                {"lead": lead, "note": False, "user": self.user1},
            )
        )
        self.assertNotIn("<script", summary)
        self.assertIn("Jim &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;", summary)

    def test_bad_input(self):
        cases = [
            (self._form(name=""), "name: required."),
            (self._form(email=""), "email: required."),
            (self._form(email="not-an-address"), "email: 'not-an-address' is not"),
            (self._form(company="c" * 300), "company: at most 256 characters."),
        ]
        for data, error in cases:
            response = self._post(data, self.form_key)
            self.assertEqual(response.status_code, 400, error)
            self.assertIn(error, response.json()["error"])
        self.assertFalse(self.env["crm.lead"].search([("partner_name", "=", "PFMS")]))

    def test_get_is_not_allowed(self):
        response = self.url_open(URL)
        self.assertEqual(response.status_code, 405)

    def test_xmlrpc_create_under_the_same_rules(self):
        db = self.env.cr.dbname
        models = self.xmlrpc_object
        # a web-form key is for the form only
        with self.assertRaises(xmlrpc.client.Fault), mute_logger("odoo.http"):
            models.execute_kw(
                db, self.form_user.id, self.form_key, "crm.lead", "search", [[]]
            )
        lead_id = models.execute_kw(
            db,
            self.user1.id,
            self.user1_key,
            "crm.lead",
            "create",
            [{"name": "By script", "email_from": "visitor@web.example.com"}],
        )
        lead = self.env["crm.lead"].browse(lead_id)
        self.assertEqual(lead.user_id, self.user1)
        self.assertTrue(lead.is_email_duplicate)
        with self.assertRaises(xmlrpc.client.Fault), mute_logger("odoo.http"):
            models.execute_kw(
                db,
                self.user1.id,
                self.user1_key,
                "crm.lead",
                "create",
                [{"name": "For user3", "user_id": self.user3.id}],
            )

    def test_administrator_makes_a_form_key(self):
        action = self.form_user.with_user(self.admin).action_new_lead_form_key()
        key = action["context"]["default_key"]
        self.assertEqual(self._post(self._form(), key).status_code, 201)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.form_user.with_user(self.manager1).action_new_lead_form_key()

    def test_refused_create_leaves_nothing_but_the_attempt(self):
        # an organisation's own rule refuses some leads after the insert
        self.env["ir.rule"].create(
            {
                "name": "No leads for Blocked Person",
                "model_id": self.env.ref("crm.model_crm_lead").id,
                "domain_force": "[('contact_name', '!=', 'Blocked Person')]",
            }
        )
        with mute_logger("odoo.models"):
            response = self._post(self._form(name="Blocked Person"), self.form_key)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self._leads())
        attempts = self.env["crm_support.lead.intake.attempt"].search(
            [("client_address", "=", "127.0.0.1")]
        )
        self.assertEqual(len(attempts), 1)
