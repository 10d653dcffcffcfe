from django.urls import path

from guanjia.tickets import views

app_name = "tickets"
urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("new/", views.ticket_new, name="new"),
    path("field/", views.field, name="field"),
    path("callbacks/", views.callbacks, name="callbacks"),
    path("morning/", views.morning, name="morning"),
    path("<int:ticket_id>/", views.ticket_detail, name="detail"),
    path("<int:ticket_id>/act/<str:action>/", views.ticket_act, name="act"),
]
