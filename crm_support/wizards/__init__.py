# the abstract steps first: the wizards below inherit from them
# isort: off
from . import crm_support_csv_import, crm_support_csv_import_column
from . import crm_support_csv_export

# isort: on
from . import (
    crm_support_company_export,
    crm_support_company_import,
    crm_support_company_import_column,
    crm_support_contract_export,
    crm_support_contract_generate,
    crm_support_contract_import,
    crm_support_contract_import_column,
    crm_support_lead_forward,
    crm_support_lead_reply,
)
