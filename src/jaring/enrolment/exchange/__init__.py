"""Converters between Jaring and the files the BPJS branch exchanges with it.

One module per format, pure Python over dataclasses, no database: `submission` writes the batch
Jaring sends, `response` reads what the branch sends back, `table` reads any xlsx/csv into rows.
The columns are documented in docs/data-formats.md ("BPJS batch files").
"""
