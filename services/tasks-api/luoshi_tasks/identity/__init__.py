"""Identity (身份): sign-in and the keys that sign access tokens, users, API keys, the caller (`/v1/me`), and
how tasks-api authenticates a request. Other services verify the tokens with the JWKS published here."""
