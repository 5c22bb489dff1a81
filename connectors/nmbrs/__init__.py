"""Nmbrs (SOAP v3) payroll source: client, credentials, company matching and the document fetcher.

Public entry points:
- `credentials.normalize_tenant_key`, `credentials.validate_credentials`
- `companies.match_companies`
- `client.NmbrsClient`, `client.NmbrsCredentials`, `environments.resolve_base_url`
- `source.NmbrsSource(client).documents(...)` / `.annual_documents(...)`
- `errors` (typed errors with `message` and a translatable `user_message`)
"""
