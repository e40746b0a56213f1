"""The experts' web app: search, read, judge, follow, trends, digest archive (`veille serve`)."""
