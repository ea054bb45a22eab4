from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from haven.api.views.cases import (
    CaseApi,
    CaseContactPlanApi,
    CaseContactsApi,
    CaseListApi,
    CaseReassignApi,
    CaseRecategoriseApi,
)
from haven.api.views.policy import PolicyApi
from haven.api.views.register import (
    PersonApi,
    PersonListApi,
    PropertyApi,
    PropertyListApi,
    TenancyApi,
    TenancyListApi,
)
from haven.api.views.reports import ReportApi, ReportListApi, ReportTriageApi

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("v1/policy", PolicyApi.as_view(), name="policy"),
    path("v1/properties", PropertyListApi.as_view(), name="properties"),
    path("v1/properties/<str:reference>", PropertyApi.as_view(), name="property"),
    path("v1/people", PersonListApi.as_view(), name="people"),
    path("v1/people/<str:reference>", PersonApi.as_view(), name="person"),
    path("v1/tenancies", TenancyListApi.as_view(), name="tenancies"),
    path("v1/tenancies/<str:reference>", TenancyApi.as_view(), name="tenancy"),
    path("v1/reports", ReportListApi.as_view(), name="reports"),
    path("v1/reports/<str:reference>", ReportApi.as_view(), name="report"),
    path("v1/reports/<str:reference>/triage", ReportTriageApi.as_view(), name="report-triage"),
    path("v1/cases", CaseListApi.as_view(), name="cases"),
    path("v1/cases/<str:reference>", CaseApi.as_view(), name="case"),
    path("v1/cases/<str:reference>/recategorise", CaseRecategoriseApi.as_view(), name="case-recategorise"),
    path("v1/cases/<str:reference>/contacts", CaseContactsApi.as_view(), name="case-contacts"),
    path("v1/cases/<str:reference>/contact-plan", CaseContactPlanApi.as_view(), name="case-contact-plan"),
    path("v1/cases/<str:reference>/reassign", CaseReassignApi.as_view(), name="case-reassign"),
]
