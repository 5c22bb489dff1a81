from django.urls import path

from integrations.loket import views

app_name = "loket"

urlpatterns = [
    path("connect/", views.connect, name="connect"),
    path("callback/", views.callback, name="callback"),
    path("disconnect/", views.disconnect, name="disconnect"),
    path("test/", views.test_connection, name="test"),
]
