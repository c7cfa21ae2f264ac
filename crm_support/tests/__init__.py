from . import (
    test_company,
    test_company_visibility,
    test_lead_held_mail,
    test_lead_intake,
    test_lead_mail_out,
    test_lead_mail_routing,
    test_lead_progress,
    test_lead_views,
    test_lead_visibility,
    test_tour,
)
