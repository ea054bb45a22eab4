from django.urls import path

from haven.cases import diary_views, views
from haven.cases.views import incidents as incident_views
from haven.cases.views import plans as plan_views
from haven.cases.views import timeline as timeline_views
from haven.cases.views import workflow as workflow_views

app_name = "cases"

urlpatterns = [
    path("cases/", views.case_list_page, name="list"),
    path("cases/inbox/", incident_views.inbox, name="inbox"),  # before cases/<reference>/
    path("cases/<str:reference>/", views.case_page, name="case"),
    path("cases/<str:reference>/contacts/", views.contact_add, name="contact-add"),
    path("cases/<str:reference>/recategorise/", views.recategorise, name="recategorise"),
    path("cases/<str:reference>/contact-plan/", views.contact_plan, name="contact-plan"),
    path("cases/<str:reference>/reassign/", views.reassign, name="reassign"),
    path("cases/<str:reference>/close/", workflow_views.case_close, name="close"),
    path("cases/<str:reference>/reopen/", workflow_views.case_reopen, name="reopen"),
    path("cases/<str:reference>/timeline/", timeline_views.timeline_page, name="timeline"),
    path("cases/<str:reference>/actions/", plan_views.action_add_page, name="action-add"),
    path("cases/<str:reference>/actions/<int:action_id>/", plan_views.action_update_page, name="action-update"),
    path("cases/<str:reference>/action-plan/", plan_views.action_plan_agree_page, name="action-plan-agree"),
]
urlpatterns += [  # the people, flags and notes of a case (views.parties, views.notes)
    path("cases/<str:reference>/parties/", views.parties.party_add, name="party-add"),
    path("cases/<str:reference>/parties/<int:party_id>/", views.parties.party_update, name="party-update"),
    path("cases/<str:reference>/parties/<int:party_id>/finding/", views.parties.party_finding, name="party-finding"),
    path("cases/<str:reference>/parties/<int:party_id>/remove/", views.parties.party_remove, name="party-remove"),
    path("cases/<str:reference>/flags/", views.parties.flags_set, name="flags"),
    path("cases/<str:reference>/notes/", views.notes.note_create, name="note-add"),
]
urlpatterns += [  # incidents, files, diary links and the reporter's diary page (views.incidents, diary_views)
    path("cases/<str:reference>/incidents/", incident_views.incident_add, name="incident-add"),
    path("cases/<str:reference>/incidents/<int:incident_id>/review/", incident_views.incident_reviewed,
         name="incident-review"),
    path("cases/<str:reference>/files/", incident_views.file_add, name="file-add"),
    path("cases/<str:reference>/files/<int:file_id>/", incident_views.file_download, name="file-download"),
    path("cases/<str:reference>/files/<int:file_id>/review/", incident_views.file_reviewed, name="file-review"),
    path("cases/<str:reference>/diary-links/", incident_views.diary_send, name="diary-send"),
    path("cases/<str:reference>/diary-links/<int:link_id>/revoke/", incident_views.diary_revoke,
         name="diary-revoke"),
    path("diary/<str:token>/", diary_views.diary_page, name="diary"),
    path("diary/<str:token>/sent/", diary_views.diary_sent, name="diary-sent"),
]  # fmt: skip
urlpatterns += [  # risk, support needs and safeguarding (views.risk)
    path("cases/<str:reference>/risk-assessments/", views.risk.risk_assess_page, name="risk-assess"),
    path("cases/<str:reference>/support-needs/", views.risk.support_need_add_page, name="support-need-add"),
    path("cases/<str:reference>/safeguarding-concerns/", views.risk.safeguarding_add_page, name="safeguarding-add"),
    path(
        "cases/<str:reference>/support-needs/<int:need_id>/outcome/",
        views.outcomes.support_need_outcome,
        name="support-need-outcome",
    ),
    path(
        "cases/<str:reference>/safeguarding-concerns/<int:concern_id>/outcome/",
        views.outcomes.safeguarding_outcome,
        name="safeguarding-outcome",
    ),
]
