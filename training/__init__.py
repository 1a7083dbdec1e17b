"""Training of CallShield's face-swap classifier (offline, never in CI)."""
