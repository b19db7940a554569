"""Helpers for the chapter that owns this module (see the module docstring once written)."""

from __future__ import annotations

__all__: list[str] = []
