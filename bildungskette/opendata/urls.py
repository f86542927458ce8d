"""The open-data app has only root URLs (urls_root.py)."""

app_name = "opendata_pages"
urlpatterns: list = []
