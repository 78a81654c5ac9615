"""Pages and JSON API for the directory: regions, firms, lawyers and assignments.

The records and their writes belong to ``guwen.regions``; these views show them to a signed-in user
through the scope, which is built on memberships, so they sit in accounts, above regions.
"""
