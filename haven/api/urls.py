from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from haven.api.views.policy import PolicyApi
from haven.api.views.register import (
    PersonApi,
    PersonListApi,
    PropertyApi,
    PropertyListApi,
    TenancyApi,
    TenancyListApi,
)

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
]
