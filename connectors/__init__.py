"""Payroll sources. One folder per source (client, mapping, views, tests); both deliver SourceDocument."""
