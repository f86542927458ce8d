"""Core: tenants, users and roles, permissions, the audit log and the shared UI pieces."""
