from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_index, name="index"),
    path("katalog/", views.catalogue, name="catalogue"),
    path("bearbeiten/neu/", views.report_new, name="new"),
    path("bearbeiten/<int:pk>/", views.report_edit, name="edit"),
    path("bearbeiten/<int:pk>/schritt/", views.report_action, name="action"),
    path("bearbeiten/<int:pk>/entwurf.pdf", views.draft_pdf, name="draft_pdf"),
    path("bearbeiten/kapitel/<int:pk>/block/", views.block_add, name="block_add"),
    path("bearbeiten/block/<int:pk>/", views.block_edit, name="block_edit"),
    path("bearbeiten/block/<int:pk>/loeschen/", views.block_delete, name="block_delete"),
    path("bearbeiten/block/<int:pk>/kommentar/", views.block_comment, name="block_comment"),
    path("bearbeiten/block/<int:pk>/verschieben/", views.block_move, name="block_move"),
    path("bearbeiten/<int:pk>/angaben/", views.report_meta, name="meta"),
    path("<slug:slug>/", views.report_public, name="public"),
    path("<slug:slug>/fassung/<int:number>/", views.report_public, name="public_version"),
    path("<slug:slug>/bericht.pdf", views.report_pdf, name="pdf"),
    path("<slug:slug>/bericht.docx", views.report_docx, name="docx"),
    path("<slug:slug>/fassung/<int:number>/bericht.pdf", views.report_pdf, name="pdf_version"),
]
