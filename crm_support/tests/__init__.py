from . import test_company, test_company_order, test_company_visibility, test_tour
