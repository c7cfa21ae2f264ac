from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged, users

from .common_contract import CrmSupportContractCase

# every macro, between brackets to see where each value ends
ALL_MACROS = """
_id_contract_ _name_contract_ _contract_number_ _contract_description_
_date_begin_ _date_end_ _id_company_ _private_ _id_status_ _name_status_
_company_name_ _company_address_ _company_fiscal_id_ _company_country_
_company_website_ _company_comments_ _company_manager_ _company_last_update_
_company_payment_conditions_ _contract_type_id_ _contract_type_name_
_contract_type_description_ _custom_licences_ _custom_support_level_
_custom_hours_ _contract_custom_fields_ _template_id_ _template_name_
_template_description_ _format_long_time_ _format_short_time_
_format_annual_date_
""".split()

# a row of the _contract_custom_fields_ table, as the sanitizer writes it
TH = '<tr><th style="text-align:left; width:30%; padding:4px">'
TD = '<td style="padding:4px">'


@tagged("post_install", "-at_install", "crm_support")
class TestContractTemplate(CrmSupportContractCase):
    """Macros expand to escaped values; bodies are sanitized and checked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user1.tz = "UTC"
        for code in ("pl_PL", "zh_CN"):
            cls.env["res.lang"]._activate_lang(code)
        cls.template = cls.env["crm_support.contract.template"].create(
            {
                "name": "Every macro",
                "description": "For the tests",
                "body": "".join(f"<div>[{macro}]</div>" for macro in ALL_MACROS),
            }
        )
        with freeze_time("2024-02-03 04:05:06"):
            cls.lodz = cls.env["crm_support.company"].create(
                {
                    "name": "Łódź Sp. z o.o.",
                    "owner_id": cls.user1.id,
                    "parent_company_id": cls.my_company.id,
                    "lang": "pl_PL",
                    "street": "ul. Piotrkowska 1",
                    "zip": "90-001",
                    "city": "Łódź",
                    "country_id": cls.env.ref("base.pl").id,
                    "vat": "PL1234567883",
                    "website": "https://lodz.example.com",
                    "comment": "<p>Pays <b>on time</b></p><p>Ściśle tajne</p>",
                    "payment_terms": "30 dni\nprzelew",
                }
            )
            cls.contract_lodz = cls.env["crm_support.contract"].create(
                {
                    "name": "Wsparcie 2021",
                    "contract_number": "PL/2021/7",
                    "crm_company_id": cls.lodz.id,
                    "type_id": cls.licence.id,
                    "date_start": "2021-04-01",
                    "date_end": "2022-03-31",
                    "status": "pending",
                    "private": True,
                    "description": "Line one\nLine two",
                    "properties": {"licences": 12, "support_level": "gold"},
                }
            )
        cls.chinese = cls.env["crm_support.company"].create(
            {
                "name": "测试有限公司",
                "owner_id": cls.user1.id,
                "parent_company_id": cls.my_company.id,
                "lang": "zh_CN",
                "city": "北京",
                "country_id": cls.env.ref("base.cn").id,
            }
        )
        cls.contract_chinese = cls.env["crm_support.contract"].create(
            {
                "name": "支持合同",
                "contract_number": "CN-1",
                "crm_company_id": cls.chinese.id,
                "type_id": cls.service.id,
                "date_start": "2021-04-01",
                "properties": {"hours": 1234.5},
            }
        )

    def render(self, contract, template=None):
        template = (template or self.template).with_env(self.env)
        return str(template._render_bodies(contract.with_env(self.env))[contract.id])

    def expanded(self, contract):
        """The value of each macro for ``contract``, as printed."""
        html = self.render(contract)
        return dict(
            zip(
                ALL_MACROS,
                (part.split("]</div>")[0] for part in html.split("<div>[")[1:]),
                strict=True,
            )
        )

    @freeze_time("2021-04-11 10:00:00")
    @users("crm_user1")
    def test_every_macro_in_polish(self):
        values = self.expanded(self.contract_lodz)
        contract, company = self.contract_lodz, self.lodz
        self.assertEqual(
            values,
            {
                "_id_contract_": str(contract.id),
                "_name_contract_": "Wsparcie 2021",
                "_contract_number_": "PL/2021/7",
                "_contract_description_": "Line one<br>Line two",
                "_date_begin_": "01.04.2021",
                "_date_end_": "31.03.2022",
                "_id_company_": str(company.id),
                "_private_": "Yes",
                "_id_status_": "2",
                "_name_status_": "Pending",
                "_company_name_": "Łódź Sp. z o.o.",
                "_company_address_": "ul. Piotrkowska 1<br>90-001 Łódź<br>Poland",
                "_company_fiscal_id_": "PL1234567883",
                "_company_country_": "Poland",
                "_company_website_": "https://lodz.example.com",
                "_company_comments_": "Pays *on time*<br>Ściśle tajne",
                "_company_manager_": self.user1.name,
                "_company_last_update_": "03.02.2024 04:05:06",
                "_company_payment_conditions_": "30 dni<br>przelew",
                "_contract_type_id_": str(self.licence.id),
                "_contract_type_name_": "Test licence",
                "_contract_type_description_": "Licence of the test software",
                "_custom_licences_": "12",
                "_custom_support_level_": "Gold",
                "_custom_hours_": "",
                "_contract_custom_fields_": '<table style="width:100%; '
                'border-collapse:collapse"><tbody>'
                f"{TH}Licences</th>{TD}12</td></tr>"
                f"{TH}Support Level</th>{TD}Gold</td></tr></tbody></table>",
                "_template_id_": str(self.template.id),
                "_template_name_": "Every macro",
                "_template_description_": "For the tests",
                "_format_long_time_": "11 niedz. kwietnia 2021",
                "_format_short_time_": "11.04.2021",
                "_format_annual_date_": "2021",
            },
        )

    @freeze_time("2021-04-11 10:00:00")
    @users("crm_user1")
    def test_every_macro_in_chinese(self):
        values = self.expanded(self.contract_chinese)
        self.assertEqual(values["_company_name_"], "测试有限公司")
        self.assertEqual(values["_name_contract_"], "支持合同")
        self.assertEqual(values["_company_address_"], "China,<br>北京")
        self.assertEqual(values["_date_begin_"], "2021年04月01日")
        self.assertEqual(values["_date_end_"], "open-ended")
        self.assertEqual(values["_private_"], "No")
        self.assertEqual(values["_id_status_"], "1")
        self.assertEqual(values["_format_long_time_"], "11 周日 四月 2021")
        self.assertEqual(values["_format_short_time_"], "2021年04月11日")
        self.assertEqual(values["_custom_hours_"], "1,234.5")
        # fields of another contract type print nothing
        self.assertEqual(values["_custom_licences_"], "")
        self.assertEqual(values["_company_fiscal_id_"], "")
        self.assertEqual(values["_company_comments_"], "")

    @users("crm_user1")
    def test_every_kind_of_custom_field_prints(self):
        kinds = (
            self.env["crm_support.contract.type"]
            .sudo()
            .create(
                {
                    "name": "Every kind",
                    "properties_definition": [
                        {"name": "flag", "string": "Flag", "type": "boolean"},
                        {"name": "day", "string": "Day", "type": "date"},
                        {"name": "moment", "string": "Moment", "type": "datetime"},
                        {
                            "name": "labels",
                            "string": "Labels",
                            "type": "tags",
                            "tags": [["a", "Alpha", 1], ["b", "Beta", 2]],
                        },
                        {
                            "name": "partner",
                            "string": "Partner",
                            "type": "many2one",
                            "comodel": "res.partner",
                        },
                        {"name": "sep", "string": "Section", "type": "separator"},
                    ],
                }
            )
        )
        contract = self.contract_lodz.with_env(self.env)
        contract.write(
            {
                "type_id": kinds.id,
                "properties": {
                    "flag": True,
                    "day": "2021-05-06",
                    "moment": "2021-05-06 07:08:09",
                    "labels": ["b", "a"],
                    "partner": self.contact_a.id,
                },
            }
        )
        template = (
            self.env["crm_support.contract.template"]
            .sudo()
            .create(
                {
                    "name": "Kinds",
                    "body": "<p>_custom_flag_|_custom_day_|_custom_moment_|"
                    "_custom_labels_|_custom_partner_</p>",
                }
            )
        )
        self.env.user.tz = "Europe/Warsaw"
        self.assertEqual(
            self.render(contract, template),
            "<p>Yes|06.05.2021|06.05.2021 09:08:09|Beta, Alpha|"
            "Customer A, Contact A</p>",
        )

    @users("crm_user1")
    def test_values_are_escaped(self):
        hostile = "<img src=x onerror=alert(1)>"
        self.lodz.sudo().write({"name": hostile, "payment_terms": "<script>x"})
        contract = self.contract_lodz.with_env(self.env)
        contract.sudo().write(
            {"name": "_contract_number_ & \"quoted\" 'single'", "description": "a<b"}
        )
        template = (
            self.env["crm_support.contract.template"]
            .sudo()
            .create(
                {
                    "name": "Escaping",
                    "body": '<p title="_company_name_">_company_name_</p>'
                    "<p>_company_payment_conditions_|_name_contract_|"
                    "_contract_description_</p>",
                }
            )
        )
        html = self.render(contract, template)
        self.assertNotIn("<img", html)
        self.assertNotIn("<script", html)
        self.assertEqual(
            html,
            '<p title="&lt;img src=x onerror=alert(1)&gt;">'
            "&lt;img src=x onerror=alert(1)&gt;</p>"
            "<p>&lt;script&gt;x|_contract_number_ &amp; \"quoted\" 'single'|"
            "a&lt;b</p>",
        )

    def test_body_is_sanitized_when_saved(self):
        template = self.env["crm_support.contract.template"].create(
            {
                "name": "Hostile",
                "body": "<p onclick='steal()' style='color: red; "
                "background: url(javascript:steal())'>_company_name_</p>"
                "<script>steal()</script>"
                "<img src='x' onerror='steal()'>"
                "<a href='javascript:steal()'>link</a>"
                "<iframe src='https://evil.example.com'></iframe>"
                "<style>p { color: red }</style>",
            }
        )
        body = str(template.body)
        for forbidden in ("onclick", "steal", "<script", "onerror", "<iframe"):
            self.assertNotIn(forbidden, body)
        self.assertIn("color:red", body.replace(" ", ""))
        self.assertIn("_company_name_", body)

    @users("crm_user1")
    def test_template_can_reach_no_code_nor_records(self):
        template = (
            self.env["crm_support.contract.template"]
            .sudo()
            .create(
                {
                    "name": "Code",
                    "body": "<p t-out='user.login'>fixed</p>"
                    "<p>{{ user.login }} ${user.login} {{ object.env }}</p>"
                    "<t t-esc='user.login'>inert</t>",
                }
            )
        )
        html, _kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=False)
            ._render_qweb_html(
                "crm_support.crm_support_contract_report",
                self.contract_lodz.ids,
                data={"template_id": template.id},
            )
        )
        html = html.decode()
        self.assertIn("fixed", html)
        self.assertIn("{{ user.login }} ${user.login} {{ object.env }}", html)
        self.assertIn("inert", html)
        self.assertNotIn(self.user1.login, html)

    def test_value_shaped_like_a_macro_is_not_expanded_again(self):
        self.lodz.name = "_contract_number_ _custom_licences_"
        template = self.env["crm_support.contract.template"].create(
            {"name": "Twice", "body": "<p>_company_name_</p>"}
        )
        self.assertEqual(
            self.render(self.contract_lodz, template),
            "<p>_contract_number_ _custom_licences_</p>",
        )

    def test_unknown_macros_are_refused_when_saved(self):
        Template = self.env["crm_support.contract.template"]
        for body, unknown in [
            ("<p>_company_nam_</p>", "_company_nam_"),
            ("<p>_custom_nonexistent_</p>", "_custom_nonexistent_"),
            ("<p>_Company_Name_</p>", "_Company_Name_"),
            ("<p>_date_begin_ and _to_do_</p>", "_to_do_"),
        ]:
            with (
                self.subTest(body=body),
                self.assertRefused(ValidationError, f"Body.*{unknown}"),
            ):
                Template.create({"name": "Bad", "body": body})
        self.assertFalse(Template.search([("name", "=", "Bad")]))

        template = Template.create({"name": "Good", "body": "<p>_company_name_</p>"})
        with self.assertRefused(ValidationError, "_nope_"):
            template.write({"name": "Renamed", "body": "<p>_nope_</p>"})
        template.invalidate_recordset()
        self.assertEqual(template.name, "Good")
        self.assertEqual(str(template.body), "<p>_company_name_</p>")

    def test_known_macros_may_touch_each_other_and_words(self):
        template = self.env["crm_support.contract.template"].create(
            {
                "name": "Tight",
                "body": "<p>_date_begin__date_end_ 合同_contract_number_号 "
                "snake_case_words file_name_</p>",
            }
        )
        self.assertEqual(
            self.render(self.contract_chinese, template),
            "<p>2021年04月01日open-ended 合同CN-1号 snake_case_words file_name_</p>",
        )

    def test_custom_macros_of_every_type_are_listed_in_the_macro_help(self):
        help_html = str(self.template.macro_help)
        for macro in ("_company_name_", "_custom_licences_", "_custom_hours_"):
            self.assertIn(f"<code>{macro}</code>", help_html)

    def test_shipped_certificate_fills_every_macro(self):
        certificate = self.env.ref(
            "crm_support.crm_support_contract_template_certificate"
        )
        html = self.render(self.contract_lodz, certificate)
        self.assertIn("Łódź Sp. z o.o.", html)
        self.assertIn("PL/2021/7", html)
        self.assertIn(f"{TH}Licences</th>{TD}12</td>", html)
        pattern = certificate._macro_pattern()
        self.assertFalse(pattern.findall(html))
