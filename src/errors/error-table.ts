/**
 * Every error hush answers with, in one table: a stable code, its HTTP status and the message a
 * client sees. Messages never contain input values, so no secret or token can leak through them.
 */
export const ERROR_TABLE = {
  bad_request: { status: 400, message: 'The request is not valid.' },
  invalid_json: { status: 400, message: 'The body is not valid JSON.' },
  body_too_complex: {
    status: 400,
    message: 'The body has more fields, items or nesting than this request can have.',
  },
  invalid_utf8: { status: 400, message: 'The body or a field is not valid UTF-8 text.' },
  file_too_large: { status: 400, message: 'The files are larger than this server allows for one share.' },
  upload_incomplete: {
    status: 400,
    message: 'The upload is unknown, not complete, already attached to a share, or its key is wrong.',
  },
  part_out_of_range: {
    status: 400,
    message:
      'The part number or the part size does not fit the upload (every part but the last is part_bytes).',
  },
  ttl_out_of_range: { status: 400, message: 'ttl_seconds is outside the allowed range.' },
  max_views_out_of_range: { status: 400, message: 'max_views is outside the allowed range.' },
  answer_invalid: {
    status: 400,
    message: 'answer must be an envelope made by the page or the CLI (hr1.…), encrypted to the request link.',
  },
  invalid_user: { status: 400, message: 'The user is not valid.' },
  invalid_secret: { status: 400, message: 'The secret name, value or metadata is not valid.' },
  invalid_setting: { status: 400, message: 'The value is not valid for this setting.' },
  invalid_policy: { status: 400, message: 'The policy is not valid.' },
  invalid_machine: { status: 400, message: 'The machine identity or secret_id settings are not valid.' },
  invalid_webhook: { status: 400, message: 'The webhook URL or event list is not valid.' },
  webhook_target_refused: {
    status: 400,
    message:
      'The webhook URL does not resolve to a public address (loopback, private, link-local and similar are refused unless the operator allows them).',
  },
  invalid_grant: { status: 400, message: 'The credentials or refresh token are not valid.' },
  unsupported_grant_type: { status: 400, message: 'This grant_type is not supported.' },
  invalid_scope: { status: 400, message: 'The requested scope is not valid for this account.' },
  github_state_invalid: {
    status: 400,
    message: 'The GitHub sign-in state is missing, expired, already used or from another browser.',
  },
  github_code_invalid: { status: 400, message: 'GitHub did not accept the authorization code.' },
  github_token_invalid: { status: 401, message: 'GitHub did not accept the token.' },
  github_not_allowed: { status: 403, message: 'No GitHub organisation, team or user mapping grants a role.' },
  unauthorized: { status: 401, message: 'A valid bearer token is required.' },
  invalid_token: {
    status: 401,
    message: 'The access token is invalid, expired, revoked, used up or not valid from this address.',
  },
  insufficient_scope: { status: 403, message: 'The token does not carry the scope this needs.' },
  sign_in_required: {
    status: 401,
    message:
      'This server takes new secrets only from signed-in accounts: send a bearer token with the shares:write scope.',
  },
  forbidden: { status: 403, message: 'You may not do this.' },
  https_required: { status: 403, message: 'This server accepts API calls over HTTPS only.' },
  passphrase_required: { status: 401, message: 'This secret is protected by a passphrase.' },
  passphrase_invalid: { status: 403, message: 'The passphrase is wrong; nothing was used up.' },
  link_key_required: {
    status: 400,
    message:
      'This secret checks the key in its link: send key_proof (the link is missing its key, or the client is older than the server); nothing was used up.',
  },
  link_key_invalid: {
    status: 403,
    message:
      'The key in the link does not match this secret: the link is damaged or incomplete; nothing was used up.',
  },
  passphrase_attempts_exhausted: {
    status: 410,
    message:
      'Too many wrong attempts (passphrase or link key): the secret was burned and cannot be opened any more.',
  },
  not_found: {
    status: 404,
    message: 'Not found: the secret does not exist, was already viewed, burned or expired.',
  },
  request_not_found: {
    status: 404,
    message: 'Not found: the request does not exist, was already answered or revealed, burned or expired.',
  },
  route_not_found: { status: 404, message: 'No such route.' },
  github_disabled: { status: 404, message: 'GitHub sign-in is not configured on this server.' },
  version_deleted: { status: 404, message: 'This version of the secret is deleted; it can be undeleted.' },
  version_destroyed: { status: 404, message: 'This version of the secret was destroyed for good.' },
  method_not_allowed: { status: 405, message: 'This method is not allowed here.' },
  request_not_answered: { status: 409, message: 'The request has not been answered yet.' },
  username_taken: { status: 409, message: 'A user with this username exists.' },
  username_confusable: {
    status: 409,
    message: 'A user with a username that looks the same exists (Unicode confusables): choose another.',
  },
  last_admin: { status: 409, message: 'This is the last admin account: create another admin first.' },
  secret_exists: { status: 409, message: 'A secret with this name exists.' },
  cas_mismatch: {
    status: 409,
    message: 'Check-and-set failed: cas is not the current version (or the secret requires cas).',
  },
  webhook_limit: { status: 409, message: 'This account has as many webhook endpoints as it may have.' },
  machine_exists: { status: 409, message: 'A machine identity with this name exists.' },
  payload_too_large: { status: 413, message: 'The request body is too large.' },
  secret_too_large: { status: 413, message: 'The secret is larger than the allowed size.' },
  unsupported_media_type: {
    status: 415,
    message:
      'This route does not take that content type: send JSON (application/json); file parts go as application/octet-stream.',
  },
  request_timeout: { status: 408, message: 'The request took too long to arrive.' },
  headers_too_large: { status: 431, message: 'The request headers are too large.' },
  rate_limited: { status: 429, message: 'Too many requests; slow down and retry later.' },
  internal: { status: 500, message: 'Something went wrong on our side.' },
  secret_unreadable: {
    status: 500,
    message: 'The stored secret failed its integrity check and cannot be decrypted; no value is returned.',
  },
  github_unavailable: { status: 502, message: 'GitHub did not answer as expected; try again later.' },
  unavailable: { status: 503, message: 'The service is temporarily unavailable.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_TABLE;
