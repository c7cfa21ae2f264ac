import { registry } from "@web/core/registry";

// user1 owns Customer A and may change it; Customer B belongs to a colleague
// and opens read-only.
registry.category("web_tour.tours").add("crm_support_company_tour", {
    url: "/odoo/action-crm_support.crm_support_company_action",
    steps: () => [
        {
            content: "Open Customer A",
            trigger: ".o_data_row td[name=name]:contains('Customer A')",
            run: "click",
        },
        {
            content: "Change its payment terms",
            trigger: ".o_form_view .o_notebook a:contains('Payment Terms')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=payment_terms] textarea",
            run: "edit Paid within 45 days",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
        {
            content: "Back to the list",
            trigger: ".o_breadcrumb .o_back_button a, .breadcrumb-item a",
            run: "click",
        },
        {
            content: "Open Customer B",
            trigger: ".o_data_row td[name=name]:contains('Customer B')",
            run: "click",
        },
        {
            content: "Its name cannot be edited",
            trigger:
                ".o_form_view .o_field_widget[name=name]:not(:has(input)):contains('Customer B')",
        },
        {
            content: "Neither can its payment terms",
            trigger: ".o_form_view .o_field_widget[name=owner_id]:not(:has(input))",
        },
    ],
});
