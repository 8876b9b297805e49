import type { Static } from 'typebox';
import { ApiError } from '../client/api-call.js';
import type { PoliciesResponse, PolicyResponse } from '../http/schemas/policy-schemas.js';
import { CAPABILITIES } from '../secrets/policy-types.js';
import { dispatchAction } from './action-dispatch.js';
import { CliError, EXIT } from './cli-errors.js';
import {
  CLIENT_OPTIONS,
  type CliIo,
  note,
  parseCommandArgs,
  processIo,
  runClient,
  write,
} from './client-command.js';
import { sessionFailure, signIn } from './saved-login.js';
import { SERVER_HELP } from './secret-client.js';
import { textTable } from './text-table.js';

type Policy = Static<typeof PolicyResponse>;
type Policies = Static<typeof PoliciesResponse>;

const SUBJECT_FLAGS = `  --role <role>    every account or machine with this role (user, admin)
  --user <name>    one account, by username
  --machine <name> one machine identity, by name`;
const COMMON = `  --json           print the API's answer
${SERVER_HELP}
  -h, --help       this help
`;

export const POLICY_USAGE = `usage: hush policy list|add|remove [options]
  Path policies of the secret store (admins only): which capabilities a role, an account or a
  machine has on the secret names a glob matches. Whatever no policy grants is denied.

  list [--role R | --user U | --machine M]        every policy, oldest first, or one subject's
  add --role R|--user U|--machine M --path <glob> --capabilities <list>
                                                   attach one; prints its id
  remove <id>                                      detach one

  hush policy <action> --help shows an action's options. See docs/accounts.md#path-policies.
`;
const LIST_USAGE = `usage: hush policy list [options]
  Every policy, oldest first, or only those of one subject.

${SUBJECT_FLAGS}
${COMMON}`;
const ADD_USAGE = `usage: hush policy add (--role R | --user U | --machine M) --path <glob> --capabilities <list>
  Attaches capabilities on the secret names a glob matches to one subject; prints the new
  policy's id on stdout.

${SUBJECT_FLAGS}
  --path <glob>    secret names: * within a segment, ** across segments, ? one character
  --capabilities <list>
                   comma-separated: ${CAPABILITIES.join(', ')}
                   (deny wins over every grant)
${COMMON}
  hush policy add --role user --path 'apps/**' --capabilities read,list
`;
const REMOVE_USAGE = `usage: hush policy remove [options] <id>
  Detaches a policy (its id is in hush policy list).

${COMMON}`;

const SUBJECT_OPTIONS = {
  ...CLIENT_OPTIONS,
  role: { type: 'string' },
  user: { type: 'string' },
  machine: { type: 'string' },
} as const;
const ADD_OPTIONS = {
  ...SUBJECT_OPTIONS,
  path: { type: 'string' },
  capabilities: { type: 'string' },
} as const;

/** `hush policy <action>`: returns the exit code. */
export function runPolicyCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return dispatchAction('policy', { list, add, remove }, POLICY_USAGE, args, io);
}

function list(args: readonly string[], io: CliIo): Promise<number> {
  return runClient(io, {}, async () => {
    const { values } = parseCommandArgs('policy list', args, SUBJECT_OPTIONS, [0, 0]);
    if (values.help) return write(io.stdout, LIST_USAGE);
    const subject = subjectOf(values, false);
    const query = subject
      ? `?${new URLSearchParams({ subject_type: subject.type, subject: subject.name })}`
      : '';
    const listed = await call<Policies>(io, values.server, 'GET', `/api/v1/sys/policies${query}`, subject);
    if (values.json) return write(io.stdout, `${JSON.stringify(listed)}\n`);
    if (listed.policies.length === 0) return note(io, 'no policies');
    const rows = listed.policies.map((p) => [
      p.id,
      `${p.subject_type}:${p.subject}`,
      p.path,
      p.capabilities.join(','),
    ]);
    await write(io.stdout, textTable(['ID', 'SUBJECT', 'PATH', 'CAPABILITIES'], rows));
  });
}

function add(args: readonly string[], io: CliIo): Promise<number> {
  return runClient(io, {}, async () => {
    const { values } = parseCommandArgs('policy add', args, ADD_OPTIONS, [0, 0]);
    if (values.help) return write(io.stdout, ADD_USAGE);
    const subject = subjectOf(values, true);
    if (!values.path?.trim()) throw new CliError(EXIT.usage, '--path is needed (see hush policy add --help)');
    const capabilities = capabilityList(values.capabilities);
    const body = {
      subject_type: subject.type,
      subject: subject.name,
      path: values.path.trim(),
      capabilities,
    };
    const created = await call<Policy>(io, values.server, 'POST', '/api/v1/sys/policies', subject, body);
    if (values.json) return write(io.stdout, `${JSON.stringify(created)}\n`);
    await write(io.stdout, `${created.id}\n`);
    await note(io, `${subject.type} ${subject.name} may now ${capabilities.join(', ')} on ${created.path}`);
  });
}

function remove(args: readonly string[], io: CliIo): Promise<number> {
  return runClient(io, {}, async () => {
    const { values, positionals } = parseCommandArgs('policy remove', args, CLIENT_OPTIONS, [1, 1]);
    if (values.help) return write(io.stdout, REMOVE_USAGE);
    const id = positionals[0]?.trim() ?? '';
    if (!/^[\w-]{1,64}$/.test(id)) throw new CliError(EXIT.usage, 'not a policy id (see hush policy list)');
    await call(io, values.server, 'DELETE', `/api/v1/sys/policies/${id}`, undefined, undefined, id);
    if (values.json) return write(io.stdout, `${JSON.stringify({ removed: id })}\n`);
    await note(io, `removed policy ${id}`);
  });
}

interface Subject {
  readonly type: 'role' | 'user' | 'machine';
  readonly name: string;
}

function subjectOf(values: { role?: string; user?: string; machine?: string }, required: true): Subject;
function subjectOf(
  values: { role?: string; user?: string; machine?: string },
  required: false,
): Subject | undefined;
function subjectOf(values: { role?: string; user?: string; machine?: string }, required: boolean) {
  const given = (['role', 'user', 'machine'] as const).filter((type) => values[type] !== undefined);
  if (given.length > 1) throw new CliError(EXIT.usage, 'choose one of --role, --user and --machine');
  const type = given[0];
  if (type === undefined) {
    if (required) throw new CliError(EXIT.usage, 'whose policy? give --role, --user or --machine');
    return undefined;
  }
  const name = values[type]?.trim() ?? '';
  if (name === '') throw new CliError(EXIT.usage, `--${type} is empty`);
  return { type, name };
}

function capabilityList(text: string | undefined): string[] {
  const list = [...new Set((text ?? '').split(/[\s,]+/).filter((word) => word !== ''))];
  if (list.length === 0)
    throw new CliError(EXIT.usage, `--capabilities is needed: some of ${CAPABILITIES.join(', ')}`);
  const unknown = list.find((word) => !(CAPABILITIES as readonly string[]).includes(word));
  if (unknown !== undefined) {
    throw new CliError(
      EXIT.usage,
      `--capabilities: ${JSON.stringify(unknown)} is not one of ${CAPABILITIES.join(', ')}`,
    );
  }
  return list;
}

/** One admin call as the signed-in account, its refusals worded for policies. */
async function call<T extends object>(
  io: CliIo,
  server: string | undefined,
  method: string,
  path: string,
  subject: Subject | undefined,
  body?: unknown,
  policyId?: string,
): Promise<T> {
  const signedIn = await signIn(io, server);
  return signedIn.call<T>(method, path, body).catch((error: unknown) => {
    const failure = sessionFailure(error, signedIn);
    if (!(failure instanceof ApiError)) throw failure;
    const said = failure.message.replace(/\.$/, '');
    if (failure.status === 403) throw new CliError(EXIT.refused, `policies are for admins: ${said}`);
    if (failure.status === 404 && policyId !== undefined)
      throw new CliError(EXIT.refused, `no such policy: ${policyId}`);
    if (failure.status === 404 && subject)
      throw new CliError(EXIT.refused, `no such ${subject.type}: ${subject.name}`);
    if (failure.code === 'invalid_policy' || failure.code === 'bad_request') {
      throw new CliError(EXIT.refused, `the server refused the policy: ${said}`);
    }
    throw failure;
  });
}
