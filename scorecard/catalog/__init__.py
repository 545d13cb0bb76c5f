"""Catalog formats and their storage.

`document` validates the native format (scorecard-catalog/1), with `document_terms`,
`vocabulary`, `mappings` and `autonomy` for its Risk Map parts; `native` reads and writes
files safely, `store` maps documents to rows and `stored_document` rows back; `oscal`,
`cosai` (with `cosai_schema`, `cosai_reader` and `cosai_vocabulary`) and `finos` (with
`finos_reader` and `markdown_prose`) convert other formats to native documents; `prose`
renders catalog texts as safe HTML; `files` is the
import/export entry point the commands and admin pages share, and `bundled` loads the
catalogs shipped in fixtures/catalogs/.
"""
