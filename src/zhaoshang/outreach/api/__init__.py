"""The outreach API: schemas and the endpoints on one router (added to the API in `zhaoshang.api.urls`)."""

from zhaoshang.outreach.api.endpoints import router

__all__ = ["router"]
