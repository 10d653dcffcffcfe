from django.urls import path

from guanjia.intake.wechat import views

app_name = "wechat"

urlpatterns = [
    path("<slug:estate_code>/", views.endpoint, name="endpoint"),
]
