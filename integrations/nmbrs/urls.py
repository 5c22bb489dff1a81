from django.urls import path

from integrations.nmbrs import views

app_name = "nmbrs"

urlpatterns = [
    path("administrations/<int:pk>/companies/", views.companies, name="companies"),
    path("administrations/<int:pk>/test/", views.test_connection, name="test"),
    path("domains/<int:pk>/link-by-number/", views.link_by_number, name="link-by-number"),
]
