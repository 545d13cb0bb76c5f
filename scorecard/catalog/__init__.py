"""Catalog formats and their storage.

- `document` validates the native format (scorecard-catalog/1), with `document_terms`,
  `vocabulary`, `mappings` and `autonomy` for its Risk Map parts and `document_source` for
  what keeps a source whole (enhancements, withdrawn controls, OSCAL data).
- `native` and `safe_yaml` read files safely and write YAML; `store` maps documents to rows
  and `stored_document` rows back.
- Other formats become native documents:
  - OSCAL: `oscal` with `oscal_reading`, `oscal_params`, `oscal_profile`; `oscal_export`
    goes back, `oscal_codec` carries our own content and `oscal_common` what both sides
    share.
  - the CoSAI Risk Map: `cosai`, `cosai_schema`, `cosai_reader`, `cosai_vocabulary`.
  - MITRE ATLAS: `atlas`, `atlas_reader`.
  - FINOS: `finos`, `finos_reader`, `markdown_prose`.
- `prose` renders catalog texts as safe HTML.
- `files` is the import/export entry point the commands and admin pages share;
  `import_queue` and `import_job` run large admin imports in the background.
- `question_template` fills drafts with generated questions, and `bundled` loads the
  catalogs shipped in fixtures/catalogs/.
"""
