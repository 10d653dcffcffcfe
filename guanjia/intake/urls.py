from django.urls import path

from guanjia.intake import views

app_name = "intake"
urlpatterns = [
    path("hotline/", views.hotline, name="hotline"),
    path("walk-in/", views.walk_in, name="walk_in"),
    path("submit/", views.intake_submit, name="submit"),
]
