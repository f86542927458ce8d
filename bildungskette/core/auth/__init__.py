"""Authentication building blocks shared by every sign-in path.

- ``throttle``: counted attempts in a time window, progressive login delay, request rate limits.
- ``tokens``: single-use, short-lived e-mail tokens (company sign-in links, invitations).
- ``views``: the password reset and change flow (Django's auth views with our templates).
"""
