"""Writes to the portal go through these functions: keyword-only, validated, atomic."""
