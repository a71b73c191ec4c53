"""Who may come in: secret keys and their policy, passwords, the authenticator, throttling,
audit of refusals, allow lists, credentials, panel sessions, which names are secret."""
