"""The BPJS exchange: batches of verified members out to the branch, its answers back in.

`services` makes the batches and applies the answers (through the lifecycle's services),
`selectors` reads them; `views`, `api` and `urls` are the exchange page and its API routes
(the card downloads on that page call `enrolment.cards`).

The file converters are one module per format, pure Python over dataclasses, no database:
`submission` writes the batch Jaring sends, `response` reads what the branch sends back, `table`
reads any xlsx/csv into rows. The columns are documented in docs/data-formats.md ("BPJS batch
files").
"""
