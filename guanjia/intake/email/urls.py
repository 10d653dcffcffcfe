from django.urls import path

from guanjia.intake.email import views

app_name = "mail"
urlpatterns = [path("<int:ticket_id>/reply/", views.ticket_mail_reply, name="reply")]
