from . import (
    test_company,
    test_company_export,
    test_company_import,
    test_company_import_integria,
    test_company_visibility,
    test_csv_reading,
    test_tour,
)
