# the mixin first: the models below inherit from it
# isort: off
from . import crm_support_reference_mixin
from . import crm_support_integria_mixin

# isort: on
from . import (
    crm_support_company,
    crm_support_company_role,
    crm_support_contract,
    crm_support_contract_template,
    crm_support_contract_type,
    report_contract_document,
    res_company,
    res_config_settings,
    res_partner,
    res_users,
)
