from django.urls import path

from haven.register import views

app_name = "register"

urlpatterns = [
    path("register/", views.search, name="search"),
    path("register/properties/<str:reference>/", views.property_page, name="property"),
    path("register/people/<str:reference>/", views.person_page, name="person"),
]
