# the mixin first: the models below inherit from it
# isort: off
from . import crm_support_reference_mixin

# isort: on
from . import (
    crm_support_company,
    crm_support_company_role,
    crm_support_invoice,
    crm_support_invoice_line,
    crm_support_invoice_tax,
    res_company,
    res_config_settings,
    res_partner,
    res_users,
)
