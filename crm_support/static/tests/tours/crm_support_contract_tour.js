import { registry } from "@web/core/registry";

// user1 records a licence of Customer A, prints its certificate and finds it
// on the contract's timeline.
registry.category("web_tour.tours").add("crm_support_contract_tour", {
    url: "/odoo/action-crm_support.crm_support_contract_action",
    steps: () => [
        {
            content: "Create a contract",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=name] input",
            run: "edit Tour licence",
        },
        {
            trigger: ".o_field_widget[name=contract_number] input",
            run: "edit T-TOUR-1",
        },
        {
            content: "For Customer A",
            trigger: ".o_field_widget[name=crm_company_id] input",
            run: "edit Customer A",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Customer A')",
            run: "click",
        },
        {
            content: "Of the licence type",
            trigger: ".o_field_widget[name=type_id] input",
            run: "edit Test licence",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Test licence')",
            run: "click",
        },
        {
            content: "Its custom fields show up",
            trigger: ".o_field_properties .o_property_field:contains('Licences')",
        },
        {
            trigger: ".o_field_widget[name=date_end] input",
            run: "edit 12/31/2030",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            content: "Generate the PDF",
            trigger: "button[name=action_generate_document]",
            run: "click",
        },
        {
            content: "with the shipped certificate",
            trigger: ".modal .o_field_widget[name=template_id] input",
            run: "edit Support Contract Certificate",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Support Contract Certificate')",
            run: "click",
        },
        {
            trigger: ".modal button[name=action_generate]",
            run: "click",
        },
        {
            content: "The document is on the contract's timeline",
            trigger: ".o-mail-Message:contains('Document generated from the template')",
        },
    ],
});
