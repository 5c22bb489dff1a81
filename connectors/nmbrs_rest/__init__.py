"""Nmbrs REST API payroll source (the successor of SOAP v3; docs/vendors/nmbrs-rest.md). Django-free.

Public entry points:
- `environments.resolve(name_or_url)` -> `NmbrsRestEnvironment` (API base, authorize and token URLs)
- `oauth.NmbrsRestOAuth` (authorize URL, code exchange, refresh), `oauth.TokenSet`, `oauth.parse_callback`
- `tokens.TokenProvider(oauth, load, save, locked)`: refresh with the caller's persistence and lock
- `client.NmbrsRestClient(environment.api_base, subscription_key, token_provider)`
- `source.NmbrsRestSource(client).documents(...)` / `.annual_statements(...)` / `.companies()`
- `identity.DocumentIdentity`: what identifies a document whichever Nmbrs API delivered it
- `errors` (typed errors on connectors.errors.SourceError: permanent or transient)
"""
