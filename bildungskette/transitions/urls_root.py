"""The transition area's JSON API at /api/transitions/ (see api.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("api/transitions/events", api.events, name="transitions_api_events"),
    path("api/transitions/statistics", api.statistics, name="transitions_api_statistics"),
    path("api/transitions/schools/<int:pk>/students", api.school_students, name="transitions_api_students"),
]
