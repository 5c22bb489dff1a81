from django.urls import path

from portal.views import (
    administrations,
    audit,
    dashboard,
    deep_check,
    domains,
    employers,
    notices,
    portal_settings,
    profile,
    runs,
    users,
)

app_name = "portal"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("settings/", portal_settings.portal_settings, name="settings"),
    path("profile/", profile.profile, name="profile"),
    path("domains/new/", domains.domain_create, name="domain-create"),
    path("domains/<int:pk>/", domains.domain_detail, name="domain"),
    path("domains/<int:pk>/edit/", domains.domain_edit, name="domain-edit"),
    path("domains/<int:pk>/employers/", employers.domain_employers, name="domain-employers"),
    path("domains/<int:pk>/employers/<int:employer_pk>/remove/", employers.domain_employer_remove,
         name="domain-employer-remove"),
    path("domains/<int:domain_pk>/administrations/new/", administrations.administration_create,
         name="administration-create"),
    path("administrations/<int:pk>/", administrations.administration_detail, name="administration"),
    path("administrations/<int:pk>/edit/", administrations.administration_edit, name="administration-edit"),
    path("administrations/<int:pk>/import/", runs.import_now, name="import-now"),
    path("administrations/<int:pk>/retry/", runs.retry_failed, name="retry-failed"),
    path("administrations/<int:pk>/deep-check/", deep_check.deep_check_view, name="deep-check"),
    path("domains/<int:domain_pk>/import/", runs.import_bulk, name="import-bulk"),
    path("runs/", runs.run_log, name="runs"),
    path("runs/<int:pk>/", runs.run_detail, name="run"),
    path("documents/<int:pk>/", runs.document_detail, name="document"),
    path("documents/<int:pk>/answer/", runs.document_answer, name="document-answer"),
    path("documents/<int:pk>/resend/", runs.document_resend, name="document-resend"),
    path("notices/<int:pk>/dismiss/", notices.dismiss, name="notice-dismiss"),
    path("checks/", runs.needs_check, name="needs-check"),
    path("annual-documents/", runs.annual_documents, name="annual-documents"),
    path("audit/", audit.audit_log, name="audit"),
    path("users/", users.user_list, name="users"),
    path("users/new/", users.user_create, name="user-create"),
    path("users/<int:pk>/", users.user_edit, name="user-edit"),
]
