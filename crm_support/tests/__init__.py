from . import (
    test_company,
    test_company_visibility,
    test_invoice_bad_input,
    test_invoice_company,
    test_invoice_locking,
    test_invoice_number_concurrency,
    test_invoice_numbering,
    test_invoice_report,
    test_invoice_totals,
    test_invoice_visibility,
    test_invoice_xmlrpc,
    test_tour,
)
