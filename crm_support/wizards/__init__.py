from . import crm_support_lead_forward, crm_support_lead_reply
