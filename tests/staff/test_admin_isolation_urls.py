"""The project's URLconf plus one admin view added "later", for the isolation test."""

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as project_urls

from .test_admin_isolation import urlpatterns as dummy_urls

urlpatterns = dummy_urls + project_urls
