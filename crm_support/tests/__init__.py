from . import (
    test_company,
    test_company_visibility,
    test_contract,
    test_contract_expiry,
    test_contract_pdf,
    test_contract_template,
    test_contract_tour,
    test_contract_visibility,
    test_contract_xmlrpc,
    test_tour,
)
