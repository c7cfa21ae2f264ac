from . import (
    crm_support_contract_generate,
    crm_support_lead_forward,
    crm_support_lead_reply,
)
