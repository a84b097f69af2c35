"""Plain helpers shared by the apps (not a Django app)."""
