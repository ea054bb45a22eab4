from django.urls import path

from haven.register import import_views, views

app_name = "register"

urlpatterns = [
    path("register/", views.search, name="search"),
    path("register/properties/<str:reference>/", views.property_page, name="property"),
    path("register/people/<str:reference>/", views.person_page, name="person"),
    path("register/import/", import_views.import_start, name="import"),
    path("register/import/<int:run_id>/", import_views.import_status, name="import-status"),
    path("register/import/<int:run_id>/apply/", import_views.import_apply, name="import-apply"),
    path("register/import/samples/<str:kind>.csv", import_views.import_sample, name="import-sample"),
]
