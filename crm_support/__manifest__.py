{
    "name": "Support CRM",
    "summary": "Integria IMS support CRM: companies, contracts, invoices and leads",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "crm_support developers",
    "website": "https://github.com/crm-support/crm_support",
    "development_status": "Alpha",
    "depends": ["mail", "contacts", "crm"],
    "data": [
        "security/crm_support_security.xml",
        "security/ir.model.access.csv",
        "views/crm_support_company_role_views.xml",
        "views/crm_support_company_views.xml",
        "views/res_users_views.xml",
        "wizards/crm_support_company_import_views.xml",
        "wizards/crm_support_company_export_views.xml",
        "views/crm_support_menus.xml",
    ],
    "demo": [
        "demo/crm_support_company_demo.xml",
        "demo/res_company_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_support/static/tests/tours/*.js",
        ],
    },
    "application": True,
}
