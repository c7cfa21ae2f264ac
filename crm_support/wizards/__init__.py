from . import crm_support_contract_generate
