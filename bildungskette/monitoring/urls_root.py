from django.urls import path

from . import api

urlpatterns = [
    path("api/monitoring/sources", api.sources, name="monitoring-api-sources"),
    path("api/monitoring/statistics", api.statistics, name="monitoring-api-statistics"),
    path("api/monitoring/values", api.values, name="monitoring-api-values"),
    path("api/monitoring/indicators", api.indicators, name="monitoring-api-indicators"),
    path("api/monitoring/indicators/<slug:code>/results", api.indicator_results, name="monitoring-api-results"),
]
