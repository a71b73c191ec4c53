"""Accounts: the admin, resellers and customers, and what a reseller is given."""
