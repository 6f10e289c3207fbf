// The published JSON Schemas compiled by ajv (draft 2020-12, strict mode): for the schema
// tests, and for `make bench`'s validating Node peer (JSON.parse + the schema).
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { schema } from './fixtures.mjs';

/** A validator for `schemas/<stem>.schema.json`; `allErrors` collects every error, not the first. */
export function compile(stem, { allErrors = true } = {}) {
  const ajv = new Ajv2020({ strict: true, allErrors });
  addFormats(ajv);
  // OpenAPI's formats for 64-bit integers and floats; annotations only (the ranges are checked).
  ajv.addFormat('int64', { type: 'number', validate: Number.isInteger });
  ajv.addFormat('double', { type: 'number', validate: Number.isFinite });
  return ajv.compile(schema(stem));
}
