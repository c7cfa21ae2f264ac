from . import (
    test_company,
    test_company_visibility,
    test_invoice_numbering,
    test_invoice_totals,
    test_tour,
)
