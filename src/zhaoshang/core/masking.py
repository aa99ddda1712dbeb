"""Masking of personal contact details: one function for every channel (page, export, API), so a
role that reads 139****6130 on a page reads the same in a workbook and in JSON."""

from __future__ import annotations


def mask_phone(phone: str) -> str:
    """The first three and last four characters, the middle as "****" (13912346130 → 139****6130).
    A number too short to keep anything is starred throughout; an empty one stays empty."""
    if not phone:
        return ""
    digits = [c for c in phone if c.isdigit()]
    if len(digits) < 7:
        return "*" * len(phone)
    return phone[:3] + "****" + phone[-4:]


def phone_as_seen(phone: str, *, in_full: bool) -> str:
    return phone if in_full else mask_phone(phone)
