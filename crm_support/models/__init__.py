# the mixin first: the models below inherit from it
# isort: off
from . import crm_support_reference_mixin
from . import crm_support_integria_mixin

# isort: on
from . import (
    crm_lead,
    crm_lost_reason,
    crm_stage,
    crm_support_company,
    crm_support_company_role,
    crm_support_contract,
    crm_support_contract_template,
    crm_support_contract_type,
    crm_support_held_mail,
    crm_support_invoice,
    crm_support_invoice_line,
    crm_support_invoice_tax,
    crm_support_lead_intake,
    crm_support_lead_intake_attempt,
    crm_support_lead_intake_integria,
    crm_support_lead_template,
    mail_mail,
    mail_thread,
    report_contract_document,
    res_company,
    res_config_settings,
    res_country,
    res_partner,
    res_users,
)
