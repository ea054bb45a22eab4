from django.urls import path

from haven.cases import views

app_name = "cases"

urlpatterns = [
    path("cases/", views.case_list_page, name="list"),
    path("cases/<str:reference>/", views.case_page, name="case"),
    path("cases/<str:reference>/contacts/", views.contact_add, name="contact-add"),
    path("cases/<str:reference>/recategorise/", views.recategorise, name="recategorise"),
    path("cases/<str:reference>/contact-plan/", views.contact_plan, name="contact-plan"),
    path("cases/<str:reference>/reassign/", views.reassign, name="reassign"),
]
