import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats ships CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/**
 * Bodies are validated strictly: no type coercion ("5" is not a number) and unknown fields are
 * errors, not silently dropped. Query strings and params are text on the wire, so they coerce.
 */
const bodyAjv = addFormats(
  new Ajv({ coerceTypes: false, removeAdditional: false, useDefaults: true, strict: false }),
);
const textAjv = addFormats(
  new Ajv({ coerceTypes: true, removeAdditional: false, useDefaults: true, strict: false }),
);

/** For form-encoded bodies (the OAuth2 token endpoint): every field arrives as text. */
export const coercingValidatorCompiler: FastifySchemaCompiler<object> = ({ schema }) =>
  textAjv.compile(schema);

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? bodyAjv : textAjv).compile(schema);
