"""The REST API (django-ninja), OpenAPI 3 documented at /api/docs and /api/openapi.json."""

from django.urls import path

from tissu.api.api import api

urlpatterns = [path("", api.urls)]
