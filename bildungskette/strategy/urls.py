from django.urls import path

from . import api, views

app_name = "strategy"
urlpatterns = [
    path("", views.strategy_index, name="index"),
    path("strategien/neu/", views.period_new, name="period_new"),
    path("strategien/<int:pk>/", views.period_detail, name="period"),
    path("strategien/<int:pk>/nachfolger/", views.period_successor, name="period_successor"),
    path("strategien/<int:pk>/ziele/neu/", views.goal_new, name="goal_new"),
    path("ziele/<int:pk>/", views.goal_detail, name="goal"),
    path("ziele/<int:pk>/bearbeiten/", views.goal_edit, name="goal_edit"),
    path("ziele/<int:pk>/indikatoren/neu/", views.goal_indicator_new, name="goal_indicator_new"),
    path("ziele/<int:pk>/einschaetzung/", views.assessment_add, name="assessment_add"),
    path("indikatoren/<int:pk>/bearbeiten/", views.goal_indicator_edit, name="goal_indicator_edit"),
    path("indikatoren/<int:pk>/werte/", views.observation_add, name="observation_add"),
    path("massnahmen/", views.measure_index, name="measures"),
    path("massnahmen/neu/", views.measure_new, name="measure_new"),
    path("massnahmen/<int:pk>/", views.measure_detail, name="measure"),
    path("massnahmen/<int:pk>/bearbeiten/", views.measure_edit, name="measure_edit"),
    path("landschaft/", views.landscape, name="landscape"),
    path("ueberschneidungen/", views.overlaps, name="overlaps"),
    path("ueberschneidungen/entscheiden/", views.overlap_decide, name="overlap_decide"),
    path("ueberschneidungen/<int:pk>/wieder-oeffnen/", views.overlap_reopen, name="overlap_reopen"),
    path("synergien/", views.synergies, name="synergies"),
    path("zielvereinbarungen/", views.agreement_index, name="agreements"),
    path("zielvereinbarungen/neu/", views.agreement_new, name="agreement_new"),
    path("zielvereinbarungen/<int:pk>/", views.agreement_detail, name="agreement"),
    path("zielvereinbarungen/<int:pk>/bearbeiten/", views.agreement_edit, name="agreement_edit"),
    path("klausuren/", views.review_index, name="reviews"),
    path("klausuren/<int:pk>/", views.review_detail, name="review"),
    path("klausuren/<int:pk>/ziel/<int:step>/", views.review_step, name="review_step"),
    path("klausuren/<int:pk>/beschluss/", views.review_decision_add, name="review_decision"),
    path("klausuren/<int:pk>/abschliessen/", views.review_close, name="review_close"),
    path("klausuren/<int:pk>/bericht/", views.review_report, name="review_report"),
    path("klausuren/<int:pk>/bericht.pdf", views.review_report_pdf_view, name="review_report_pdf"),
    path("api/strategien/<int:pk>/ziele/", api.goals_json, name="api_goals"),
]
