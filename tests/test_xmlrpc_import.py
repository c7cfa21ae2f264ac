"""The CSV import wizards driven over XML-RPC, as the README shows, with bad rows.

Every value ``read`` returns must travel over XML-RPC, which has no None: the
reasons of rows refused as a whole (column count, a repeated row, an end date
before the start) have no column and no field.
"""

import base64
import uuid

import pytest

FIELDS = ["create_count", "update_count", "error_count", "issues"]


def unique(label):
    return f"e2e import {label} {uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="module")
def admin(xmlrpc_login):
    return xmlrpc_login("admin", "admin")


def check(admin, model, text, **vals):
    """Create the wizard, read the file and check it; return what read gives."""
    data = base64.b64encode(text.encode()).decode()
    wizard = admin.call(model, "create", {"file": data, "filename": "e2e.csv", **vals})
    admin.call(model, "action_read_file", [wizard])
    action = admin.call(model, "action_check", [wizard])
    assert action["res_id"] == wizard
    [report] = admin.call(model, "read", [wizard], FIELDS)
    return report


def test_company_file_with_bad_rows(admin):
    name, same = unique("good"), unique("twice")
    text = (
        f"{name},,,ES,,,,,,,,,\n"
        f"{same},,,,,,,,,,,,\n"
        f"{same},,,,,,,,,,,,\n"
        f"{unique('wide')},,,,,,,,,,,,,,\n"
        f"{unique('feb')},,,,,,,,,2023-02-30,,,\n"
    )
    report = check(admin, "crm_support.company.import", text)
    assert (report["create_count"], report["error_count"]) == (2, 3)
    assert report["issues"] == [
        {"line": 3, "reason": "it is the same company as line 2."},
        {
            "line": 4,
            "reason": "the line has 15 columns and the mapping 13: fix the mapping "
            "(or the line).",
        },
        {
            "line": 5,
            "column": 10,
            "field": "Last Update",
            "reason": "'2023-02-30' is a date that does not exist.",
        },
    ]
    # a check writes nothing
    assert admin.call("crm_support.company", "search", [("name", "=", name)]) == []


def test_contract_file_with_an_end_before_its_start(admin):
    text = (
        "name,contract_number,date_begin,date_end,id_company\n"
        f"Contract,{unique('number')},2024-02-01 00:00:00,2024-01-01,1\n"
    )
    report = check(admin, "crm_support.contract.import", text)
    assert report["error_count"] == 1
    [issue] = report["issues"]
    assert set(issue) == {"line", "reason"}
    assert "before it starts" in issue["reason"]
