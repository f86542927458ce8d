"""Organisations (Akteure) and their contact persons."""
