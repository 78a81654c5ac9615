"""Duty's pages by audience: ``public`` for residents (no account), ``work`` for those who work a
shift, ``office`` for the community's and the judicial office's management pages."""
