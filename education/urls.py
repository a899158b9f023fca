from django.urls import path

from tracker import converters  # noqa: F401 - registers <isodate:...>

from . import views

app_name = "education"

urlpatterns = [
    path("", views.library, name="library"),
    path("in-context/<isodate:date>/<slug:slug>/", views.explanation, name="explanation"),
    path("<slug:slug>/", views.topic_detail, name="topic"),
    path("<slug:slug>/hide/", views.hide_explanation, name="hide"),
]
