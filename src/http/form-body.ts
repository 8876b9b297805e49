import { parse } from 'node:querystring';
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import { coercingValidatorCompiler, validatorCompiler } from './validators.js';

/** Bodies that arrived form-encoded, where every value is text by nature. */
const formBodies = new WeakSet<object>();

/** The form parser for @fastify/formbody: as its default (repeated keys become arrays), remembered. */
export function parseFormBody(text: string): Record<string, unknown> {
  const body = parse(text);
  formBodies.add(body);
  return body;
}

/**
 * For routes that take a body as JSON or form-encoded (the OAuth2 token endpoints): a form body
 * is coerced ("3600" → 3600, "true" → true, as form fields can only be text), a JSON body is
 * validated as strictly as on every other route ("5" is not a number, "true" not a boolean).
 */
export const formOrStrictValidatorCompiler: FastifySchemaCompiler<object> = (route) => {
  if (route.httpPart !== 'body') return validatorCompiler(route);
  const strict = validatorCompiler(route) as ValidateFunction;
  const coercing = coercingValidatorCompiler(route) as ValidateFunction;
  const validate: ValidateFunction = (data: unknown) => {
    const chosen = typeof data === 'object' && data !== null && formBodies.has(data) ? coercing : strict;
    const valid = chosen(data);
    validate.errors = chosen.errors;
    return valid;
  };
  return validate;
};

/** What an Ajv validator is to Fastify: true, or false with the errors on itself. */
interface ValidateFunction {
  (data: unknown): boolean;
  errors?: FastifySchemaValidationError[] | null;
}
