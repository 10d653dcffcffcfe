from django.urls import path

from guanjia.intake import views

app_name = "intake"
urlpatterns = [
    path("hotline/", views.hotline, name="hotline"),
    path("walk-in/", views.walk_in, name="walk_in"),
    path("submit/", views.intake_submit, name="submit"),
    path("triage/", views.triage_queue, name="triage_queue"),
    path("triage/<int:ticket_id>/", views.ticket_relabel_view, name="relabel"),
]
