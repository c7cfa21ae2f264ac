from . import lead_intake
