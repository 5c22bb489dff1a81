from django.urls import path

from integrations.nmbrs_rest import views

app_name = "nmbrs_rest"

urlpatterns = [
    path("connect/", views.connect, name="connect"),
    path("callback/", views.callback, name="callback"),
    path("disconnect/", views.disconnect, name="disconnect"),
    path("administrations/<int:pk>/companies/", views.companies, name="companies"),
    path("administrations/<int:pk>/move-from-soap/", views.move_from_soap, name="move-from-soap"),
    path("move-all/", views.move_all, name="move-all"),
]
