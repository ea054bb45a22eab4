from django.urls import path

from haven.intake import views

app_name = "intake"

urlpatterns = [
    path("reports/", views.queue, name="queue"),
    path("reports/new/", views.new_report, name="new"),
    path("reports/<str:reference>/", views.report_page, name="report"),
    path("reports/<str:reference>/triage/", views.triage, name="triage"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
]
