import { CAPABILITIES } from '../secrets/policy-types.js';
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
import { parseCount, parseDuration } from './duration.js';
import { type MachineCreateBody, machineApi, machineName } from './machine-api.js';
import { describeMachine } from './machine-format.js';
import { signIn } from './saved-login.js';

export const MACHINE_CREATE_USAGE = `usage: hush machine create <name> [options]
  Creates a machine identity and prints it, with its role_id (public, like a username). Then make
  it a secret_id: hush machine secret-id create <name>.

  --role user|admin          the role its tokens get, with that role's policies (default user)
  --token-ttl <duration>     its access tokens' lifetime: 3600, 30m, 1h, 2d (default: the server's)
  --token-max-ttl <duration> a session's lifetime, renewals included (default: the server's)
  --token-uses <n>           requests each access token allows (default: uncounted)
  --secret-id-ttl <duration> the lifetime of a new secret_id (default: no expiry)
  --secret-id-uses <n>       sign-ins a new secret_id allows (default: unlimited)
  --bind-cidr <network>      sign-ins only from this network, e.g. 10.0.0.0/8 (repeatable)
  --token-cidr <network>     its tokens work only from this network (repeatable)
  --policy <glob>=<caps>     a policy of its own: secret names the glob matches (* within a
                             segment, ** across) and capabilities among ${CAPABILITIES.join(', ')}
                             (repeatable), e.g. --policy 'apps/ci/**=read,list'
  --server <url>             the hush server (default: the saved login's)
  --json                     print the API's answer (the machine)
  -h, --help                 this help
`;

const OPTIONS = {
  ...CLIENT_OPTIONS,
  role: { type: 'string' },
  'token-ttl': { type: 'string' },
  'token-max-ttl': { type: 'string' },
  'token-uses': { type: 'string' },
  'secret-id-ttl': { type: 'string' },
  'secret-id-uses': { type: 'string' },
  'bind-cidr': { type: 'string', multiple: true },
  'token-cidr': { type: 'string', multiple: true },
  policy: { type: 'string', multiple: true },
} as const;

/** `hush machine create`: returns the exit code. */
export function runMachineCreateCommand(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runClient(io, {}, async () => {
    const { values, positionals } = parseCommandArgs('machine create', args, OPTIONS, [1, 1]);
    if (values.help) return write(io.stdout, MACHINE_CREATE_USAGE);
    const name = machineName(positionals[0]);
    const body: MachineCreateBody = {
      name,
      role: roleFlag(values.role),
      token_ttl_seconds: durationFlag('--token-ttl', values['token-ttl']),
      token_max_ttl_seconds: durationFlag('--token-max-ttl', values['token-max-ttl']),
      token_num_uses: countFlag('--token-uses', values['token-uses']),
      secret_id_ttl_seconds: durationFlag('--secret-id-ttl', values['secret-id-ttl']),
      secret_id_num_uses: countFlag('--secret-id-uses', values['secret-id-uses']),
      secret_id_bound_cidrs: values['bind-cidr'],
      token_bound_cidrs: values['token-cidr'],
      policies: values.policy?.map(policyFlag),
    };
    const created = await machineApi(await signIn(io, values.server)).create(body);
    if (values.json) return write(io.stdout, `${JSON.stringify(created)}\n`);
    await write(io.stdout, describeMachine(created));
    await note(
      io,
      `created machine ${created.name}: hush machine secret-id create ${created.name} makes its secret_id`,
    );
  });
}

function roleFlag(text: string | undefined): MachineCreateBody['role'] {
  if (text === undefined || text === 'user' || text === 'admin') return text;
  throw new CliError(EXIT.usage, '--role must be user or admin');
}

export function durationFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = parseDuration(text);
  if (seconds === undefined)
    throw new CliError(EXIT.usage, `${flag} must be a duration like 3600, 30m, 1h or 2d`);
  return seconds;
}

export function countFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = parseCount(text);
  if (n === undefined) throw new CliError(EXIT.usage, `${flag} must be a whole number of at least 1`);
  return n;
}

/** `apps/ci/**=read,list` → a policy; the glob is checked by the server, the capabilities here. */
export function policyFlag(text: string): { path: string; capabilities: string[] } {
  const at = text.lastIndexOf('=');
  const path = text.slice(0, at).trim();
  const capabilities = text
    .slice(at + 1)
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  const known = CAPABILITIES as readonly string[];
  if (at <= 0 || path === '' || capabilities.length === 0 || !capabilities.every((c) => known.includes(c))) {
    throw new CliError(
      EXIT.usage,
      `--policy takes <glob>=<capabilities>, e.g. 'apps/ci/**=read,list' (capabilities: ${CAPABILITIES.join(', ')})`,
    );
  }
  return { path, capabilities: [...new Set(capabilities)] };
}
