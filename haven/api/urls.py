from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from haven.api.views import case_outcomes, case_sharing
from haven.api.views.case_incidents import (
    CaseFileApi,
    CaseFileReviewApi,
    CaseFilesApi,
    CaseIncidentReviewApi,
    CaseIncidentsApi,
)
from haven.api.views.case_plans import CaseActionApi, CaseActionPlanApi, CaseActionsApi
from haven.api.views.case_risk import CaseRiskAssessmentsApi, CaseSafeguardingConcernsApi, CaseSupportNeedsApi
from haven.api.views.case_timeline import CaseTimelineApi
from haven.api.views.case_workflow import CaseCloseApi, CaseReopenApi
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
    *case_sharing.INTELLIGENCE_URLS,  # before v1/cases/<str:reference>, which would take it
    path("v1/cases/<str:reference>", CaseApi.as_view(), name="case"),
    path("v1/cases/<str:reference>/recategorise", CaseRecategoriseApi.as_view(), name="case-recategorise"),
    path("v1/cases/<str:reference>/contacts", CaseContactsApi.as_view(), name="case-contacts"),
    path("v1/cases/<str:reference>/contact-plan", CaseContactPlanApi.as_view(), name="case-contact-plan"),
    path("v1/cases/<str:reference>/reassign", CaseReassignApi.as_view(), name="case-reassign"),
    path("v1/cases/<str:reference>/action-plan", CaseActionPlanApi.as_view(), name="case-action-plan"),
    path("v1/cases/<str:reference>/actions", CaseActionsApi.as_view(), name="case-actions"),
    path("v1/cases/<str:reference>/actions/<int:action_id>", CaseActionApi.as_view(), name="case-action"),
    path("v1/cases/<str:reference>/close", CaseCloseApi.as_view(), name="case-close"),
    path("v1/cases/<str:reference>/reopen", CaseReopenApi.as_view(), name="case-reopen"),
    path("v1/cases/<str:reference>/timeline", CaseTimelineApi.as_view(), name="case-timeline"),
]
urlpatterns += [  # risk, support needs and safeguarding (views.case_risk)
    path("v1/cases/<str:reference>/risk-assessments", CaseRiskAssessmentsApi.as_view(), name="case-risk-assessments"),
    path("v1/cases/<str:reference>/support-needs", CaseSupportNeedsApi.as_view(), name="case-support-needs"),
    path(
        "v1/cases/<str:reference>/safeguarding-concerns",
        CaseSafeguardingConcernsApi.as_view(),
        name="case-safeguarding-concerns",
    ),
]
from haven.api.views import case_parties  # noqa: E402  (the people, notes, flags and markers of a case)

urlpatterns += [
    path("v1/cases/<str:reference>/parties", case_parties.CasePartiesApi.as_view(), name="case-parties"),
    path("v1/cases/<str:reference>/parties/<int:party_id>", case_parties.CasePartyApi.as_view(), name="case-party"),
    path(
        "v1/cases/<str:reference>/parties/<int:party_id>/finding",
        case_parties.CasePartyFindingApi.as_view(),
        name="case-party-finding",
    ),
    path(
        "v1/cases/<str:reference>/parties/<int:party_id>/remove",
        case_parties.CasePartyRemoveApi.as_view(),
        name="case-party-remove",
    ),
    path("v1/cases/<str:reference>/notes", case_parties.CaseNotesApi.as_view(), name="case-notes"),
    path("v1/cases/<str:reference>/flags", case_parties.CaseFlagsApi.as_view(), name="case-flags"),
    path("v1/cases/<str:reference>/markers", case_parties.CaseMarkersApi.as_view(), name="case-markers"),
]
urlpatterns += [  # incidents and files of a case (views.case_incidents)
    path("v1/cases/<str:reference>/incidents", CaseIncidentsApi.as_view(), name="case-incidents"),
    path(
        "v1/cases/<str:reference>/incidents/<int:incident_id>/review",
        CaseIncidentReviewApi.as_view(),
        name="case-incident-review",
    ),
    path("v1/cases/<str:reference>/files", CaseFilesApi.as_view(), name="case-files"),
    path("v1/cases/<str:reference>/files/<int:file_id>", CaseFileApi.as_view(), name="case-file"),
    path("v1/cases/<str:reference>/files/<int:file_id>/review", CaseFileReviewApi.as_view(), name="case-file-review"),
]
urlpatterns += [  # outcomes of support needs and safeguarding concerns (views.case_outcomes)
    path(
        "v1/cases/<str:reference>/support-needs/<int:need_id>/outcome",
        case_outcomes.SupportNeedOutcomeApi.as_view(),
        name="case-support-need-outcome",
    ),
    path(
        "v1/cases/<str:reference>/safeguarding-concerns/<int:concern_id>/outcome",
        case_outcomes.SafeguardingOutcomeApi.as_view(),
        name="case-safeguarding-outcome",
    ),
]
from haven.api.views import case_interventions, case_legal, case_partnership  # noqa: E402  (issue 6)

urlpatterns += [  # interventions and agreements, legal actions, partnership: each module's own paths
    *case_interventions.urlpatterns,
    *case_legal.urlpatterns,
    *case_partnership.urlpatterns,
    *case_sharing.urlpatterns,
]
from haven.api.views import asb_case_review, case_closure, case_reviews, case_survey, quality  # noqa: E402  (issue 7)

urlpatterns += [  # reviews, the ASB Case Review, closure and complaints, the survey: each module's own paths
    *case_reviews.urlpatterns,
    *asb_case_review.urlpatterns,
    *case_closure.urlpatterns,
    *case_survey.urlpatterns,
    *quality.urlpatterns,
]

from haven.api.views import insights  # noqa: E402  (issue 9)

urlpatterns += insights.urlpatterns
