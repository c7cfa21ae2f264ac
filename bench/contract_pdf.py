#!/usr/bin/env python3
"""Contract documents against a plain QWeb report of the same size.

Renders N contracts (50 by default) in one batch with "Generate PDF"'s report
(the shipped certificate template, macros expanded) and, in the same run and
on the same records, a plain QWeb report that prints the same data with
t-field, both through Odoo's wkhtmltopdf pipeline. Prints the seconds per
document of each and their ratio (target: at most 1.2). Also measures the
Generate PDF wizard, which renders one PDF per contract and attaches it,
against the plain report rendered one record per call.

A wkhtmltopdf built on an unpatched Qt (Debian's package) cannot render more
than one document per run, so Odoo cannot print several records in one PDF
with it: the batch is then rendered one record per call for both reports,
and the output says so.

Usage (from the repository root, PostgreSQL reachable as PGHOST/PGPORT/PGUSER):

    python3 bench/contract_pdf.py                # a fresh database
    python3 bench/contract_pdf.py --db mydb      # a db with crm_support

Without --db it drops and creates ``contracts_bench`` (a copy of
``--template-db`` when given, a database with crm, contacts and mail) and
installs crm_support there. Nothing the benchmark creates is committed.
"""

import subprocess
import time

from _odoo import bench_database, odoo_options, parse_bench_args

import odoo
from odoo.service.server import ThreadedServer

# a plain QWeb report with the certificate's layout and data, written by hand
PLAIN_ARCH = """
<t t-name="crm_support.bench_plain_contract">
  <t t-call="web.html_container">
    <t t-foreach="docs" t-as="doc">
      <t t-call="web.basic_layout">
        <div class="page">
          <div style="border: 6px double #1f3a5f; padding: 36px 48px;
                      font-family: serif; color: #1b1b1b">
            <p style="text-align: right; font-size: 12px; color: #555555">
              Certificate no. <span t-field="doc.contract_number"/>/2025<br/>
              Issued on <span t-out="context_timestamp(datetime.datetime.now())
                .strftime('%d %a %B %Y (%d/%m/%Y)')"/>
            </p>
            <h1 style="text-align: center; font-size: 34px; letter-spacing: 4px;
                       text-transform: uppercase; color: #1f3a5f;
                       margin-top: 24px">Certificate of Support</h1>
            <p style="text-align: center; font-size: 15px; font-style: italic">
              This is to certify that</p>
            <h2 style="text-align: center; font-size: 28px; margin: 12px 0px">
              <span t-field="doc.crm_company_id.name"/></h2>
            <p style="text-align: center; font-size: 13px; color: #555555">
              <span t-field="doc.crm_company_id.partner_id"
                    t-options="{'widget': 'contact', 'fields': ['address'],
                                'no_marker': True}"/><br/>
              <span t-field="doc.crm_company_id.country_id"/> · Fiscal ID:
              <span t-field="doc.crm_company_id.vat"/> ·
              <span t-field="doc.crm_company_id.website"/>
            </p>
            <p style="text-align: center; font-size: 15px; margin-top: 18px">
              holds the <span t-field="doc.type_id"/> contract
              <b t-field="doc.name"/> (no. <span t-field="doc.contract_number"/>),
              valid from <b t-field="doc.date_start"/> until
              <b t-field="doc.date_end"/>
            </p>
            <p style="text-align: center; font-size: 13px; font-style: italic">
              <span t-field="doc.type_id.description"/></p>
            <table style="width: 100%; border-collapse: collapse;
                          margin-top: 24px; font-size: 13px">
              <tbody>
                <tr><th>Status</th><td><span t-field="doc.status"/></td></tr>
                <tr><th>Private</th><td><span t-field="doc.private"/></td></tr>
                <tr><th>Description</th>
                    <td><span t-field="doc.description"/></td></tr>
                <tr><th>Payment terms</th>
                    <td><span t-field="doc.crm_company_id.payment_terms"/></td></tr>
                <tr><th>Account manager</th>
                    <td><span t-field="doc.crm_company_id.owner_id"/>
                    (<span t-field="doc.crm_company_id.last_activity"/>)</td></tr>
                <tr><th>Comments</th>
                    <td><span t-field="doc.crm_company_id.comment"/></td></tr>
              </tbody>
            </table>
            <table class="table table-sm"><tbody>
              <tr t-foreach="doc.read(['properties'])[0]['properties']" t-as="p">
                <th t-out="p['string']"/><td t-out="p['value']"/>
              </tr>
            </tbody></table>
            <p style="margin-top: 48px; font-size: 11px; color: #777777;
                      text-align: center">
              Contract <span t-out="doc.id"/> · Company
              <span t-out="doc.crm_company_id.id"/> · Contract type
              <span t-out="doc.type_id.id"/> · Template
            </p>
          </div>
        </div>
      </t>
    </t>
  </t>
</t>
"""


def make_records(env, count):
    """A company, a contract type with two custom fields and its contracts."""
    company = env["crm_support.company"].create(
        {
            "name": "Łódź Bench Sp. z o.o.",
            "owner_id": env.ref("base.user_admin").id,
            "street": "ul. Piotrkowska 1",
            "zip": "90-001",
            "city": "Łódź",
            "country_id": env.ref("base.pl").id,
            "vat": "PL1234567883",
            "website": "https://bench.example.com",
            "comment": "<p>Benchmark customer</p>",
            "payment_terms": "30 days",
        }
    )
    contract_type = env["crm_support.contract.type"].create(
        {
            "name": "Bench licence",
            "description": "Licence used by the benchmark",
            "properties_definition": [
                {"name": "licences", "string": "Licences", "type": "integer"},
                {"name": "product", "string": "Product", "type": "char"},
            ],
        }
    )
    return env["crm_support.contract"].create(
        [
            {
                "name": f"Bench contract {number}",
                "contract_number": f"BENCH-{number:04d}",
                "crm_company_id": company.id,
                "type_id": contract_type.id,
                "date_start": "2025-01-01",
                "date_end": "2025-12-31",
                "description": "Support of the monitoring software\nOn site",
                "properties": {"licences": number, "product": "Monitor"},
            }
            for number in range(count)
        ]
    )


def make_plain_report(env):
    view = env["ir.ui.view"].create(
        {
            "name": "bench_plain_contract",
            "type": "qweb",
            "key": "crm_support.bench_plain_contract",
            "arch": PLAIN_ARCH,
        }
    )
    return env["ir.actions.report"].create(
        {
            "name": "Plain contract (benchmark)",
            "model": "crm_support.contract",
            "report_type": "qweb-pdf",
            "report_name": view.key,
        }
    )


def wkhtmltopdf_is_patched():
    """Whether wkhtmltopdf renders several documents per run (patched Qt)."""
    version = subprocess.run(
        ["wkhtmltopdf", "--version"], capture_output=True, text=True, check=True
    ).stdout
    return "patched qt" in version.lower()


def timed(function):
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def main():
    args = parse_bench_args(__doc__.splitlines()[0], "contracts_bench", 50, 1, 18102)
    db = bench_database(args)

    odoo.tools.config.parse_config(
        odoo_options(
            args,
            db,
            # wkhtmltopdf's notices about an unpatched Qt, on every run
            "--log-handler=odoo.addons.base.models.ir_actions_report:ERROR",
        )
    )
    # wkhtmltopdf loads the report's stylesheets from this server
    server = ThreadedServer(odoo.http.root)
    server.http_spawn()
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env["ir.config_parameter"].set_param(
            "report.url", f"http://127.0.0.1:{args.http_port}"
        )
        Report = env["ir.actions.report"]
        contracts = make_records(env, args.count)
        plain = make_plain_report(env)
        template = env.ref("crm_support.crm_support_contract_template_certificate")
        ours = env.ref("crm_support.crm_support_contract_report")
        data = {"template_id": template.id}

        batched = wkhtmltopdf_is_patched()
        # one run for all records when wkhtmltopdf can, one per record if not
        chunks = [contracts.ids] if batched else [[id_] for id_ in contracts.ids]

        def render_ours(ids):
            Report._render_qweb_pdf(ours, ids, data=dict(data))

        def render_plain(ids):
            Report._render_qweb_pdf(plain, ids)

        # warm up: asset bundles, view compilation
        render_ours(contracts[:1].ids)
        render_plain(contracts[:1].ids)

        # one chunk of each kind in turn, so that both see the same load of
        # a shared machine
        ours_time = plain_time = 0.0
        for _round in range(args.rounds):
            for chunk in chunks:
                ours_time += timed(lambda chunk=chunk: render_ours(chunk))
                plain_time += timed(lambda chunk=chunk: render_plain(chunk))
        documents = args.rounds * args.count
        ours_doc, plain_doc = ours_time / documents, plain_time / documents
        mode = "one run" if batched else "one run per record (unpatched Qt)"
        print(
            f"batch of {args.count} contracts, wkhtmltopdf {mode}: contract documents "
            f"{ours_doc:.4f} s/doc, plain QWeb report {plain_doc:.4f} s/doc, "
            f"ratio {ours_doc / plain_doc:.2f} (target <= 1.2)"
        )

        # the HTML alone (Odoo's side, without wkhtmltopdf), all in one call
        html_ours = timed(
            lambda: Report._render_qweb_html(ours, contracts.ids, data=dict(data))
        )
        html_plain = timed(lambda: Report._render_qweb_html(plain, contracts.ids))
        print(
            f"HTML of {args.count} contracts in one call: contract documents "
            f"{html_ours / args.count:.4f} s/doc, plain QWeb report "
            f"{html_plain / args.count:.4f} s/doc, ratio {html_ours / html_plain:.2f}"
        )

        # Generate PDF: one wkhtmltopdf run per contract, attached and logged
        wizard_time = single_time = 0.0
        few = contracts[:10]
        for contract in few:
            wizard = (
                env["crm_support.contract.generate"]
                .with_context(active_model=contracts._name, active_ids=contract.ids)
                .create({"template_id": template.id})
            )
            wizard_time += timed(wizard._generate)
            single_time += timed(lambda contract=contract: render_plain(contract.ids))
        print(
            f"Generate PDF, one contract per document, attached: "
            f"{wizard_time / len(few):.4f} s/doc, plain QWeb report one record per "
            f"call {single_time / len(few):.4f} s/doc, "
            f"ratio {wizard_time / single_time:.2f}"
        )
        cr.rollback()
    server.httpd.shutdown()


if __name__ == "__main__":
    main()
