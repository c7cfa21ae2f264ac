from . import lead_intake, lead_intake_integria
