"""Domains (subscriptions and sites), the server's IP pool, and the counts `stat` answers."""
