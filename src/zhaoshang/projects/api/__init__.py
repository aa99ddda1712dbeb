"""The projects API: schemas, the checks of what was sent, and the endpoints on one router."""

from zhaoshang.projects.api.endpoints import router

__all__ = ["router"]
