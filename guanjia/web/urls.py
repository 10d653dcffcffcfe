from django.urls import path

from guanjia.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("residents/", views.resident_list, name="resident_list"),
    path("residents/<int:resident_id>/", views.resident_detail, name="resident_detail"),
    path("residents/<int:resident_id>/reveal/", views.resident_reveal_view, name="resident_reveal"),
    path("media/<path:path>", views.protected_media, name="media"),
]
