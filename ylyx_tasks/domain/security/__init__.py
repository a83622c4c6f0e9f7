"""What the input gate and the sign-in check: passwords and user-written text (pure rules)."""
