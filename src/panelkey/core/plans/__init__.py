"""Plans (service plans, add-ons, reseller plans), subscriptions to them, and the settings
blocks (limits, permissions, preferences, hosting, PHP) they carry."""
