import type { Redis } from 'ioredis';

/**
 * The Lua scripts behind every change to a share or lock. Redis runs one script at a time, so each
 * is one atomic step; that is where the guarantees of ShareStore and LockStore come from here.
 *
 * A single Redis (or a Sentinel-managed primary) is assumed, not Redis Cluster: share scripts
 * delete the token key they read from the share hash, a key not declared in KEYS. Every other key
 * is built in TypeScript and passed in KEYS.
 */

/**
 * Audit events go into an outbox list (KEYS[2] of a share script), in the same script as the change
 * they record, and are moved into SQL afterwards (redis-event-outbox.ts). Redis does not undo a
 * script's earlier writes when a later command fails, so each script decides from reads first, then
 * pushes its events, then changes the share: a push that fails leaves the share as it was.
 */
const OUTBOX = `
local function outbox(key, first, last)
  if last >= first then redis.call('RPUSH', key, unpack(ARGV, first, last)) end
end
`;

/** True when the share hash KEYS[1] still holds content and expires after ARGV[1] (now). */
const LIVE = `
local function live(key, now)
  local expires_at = redis.call('HGET', key, 'expires_at')
  return expires_at and tonumber(expires_at) > tonumber(now) and redis.call('HEXISTS', key, 'ciphertext') == 1
end
`;

const SCRIPTS = {
  // Writes the share hash and its token index together, both expiring by themselves at expires_at.
  // KEYS: share, token, outbox. ARGV: id, expires_at, n, n events, field, value, …
  hushCreateShare: {
    keys: 3,
    lua: `
local n = tonumber(ARGV[3])
if n > 0 then redis.call('RPUSH', KEYS[3], unpack(ARGV, 4, 3 + n)) end
redis.call('HSET', KEYS[1], unpack(ARGV, 4 + n))
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[1])
redis.call('PEXPIREAT', KEYS[2], ARGV[2])
return 1`,
  },

  // Reads token → id → every field of the share in one round trip; empty when either key is gone.
  // KEYS: token. ARGV: share key prefix.
  hushFindLive: {
    keys: 1,
    lua: `
local id = redis.call('GET', KEYS[1])
if not id then return {} end
return redis.call('HGETALL', ARGV[1] .. id)`,
  },

  // At most max_views calls ever pass the views_used check; the last one deletes the share and its
  // token key in the same step. Returns {ciphertext, views left, views used} or nil.
  // KEYS: share, outbox. ARGV: now, token key prefix, events…
  hushClaimView: {
    keys: 2,
    lua: `${LIVE}${OUTBOX}
if not live(KEYS[1], ARGV[1]) then return nil end
local f = redis.call('HMGET', KEYS[1], 'max_views', 'views_used', 'token_hash', 'ciphertext')
local max_views = tonumber(f[1])
if tonumber(f[2]) >= max_views then return nil end
outbox(KEYS[2], 3, #ARGV)
local used = redis.call('HINCRBY', KEYS[1], 'views_used', 1)
if used >= max_views then redis.call('DEL', KEYS[1], ARGV[2] .. f[3]) end
return {f[4], max_views - used, used}`,
  },

  // Counts each wrong passphrase once; the attempt that reaches the limit deletes the share (burns
  // it) in the same step. Returns {attempts, 1 when burned else 0} or nil when not live.
  // KEYS: share, outbox. ARGV: now, limit, token key prefix, n, n attempt events, burn events…
  hushFailedAttempt: {
    keys: 2,
    lua: `${LIVE}${OUTBOX}
if not live(KEYS[1], ARGV[1]) then return nil end
local attempts = tonumber(redis.call('HGET', KEYS[1], 'failed_attempts')) + 1
local burned = attempts >= tonumber(ARGV[2])
local n = tonumber(ARGV[4])
outbox(KEYS[2], 5, 4 + n)
if not burned then
  redis.call('HSET', KEYS[1], 'failed_attempts', attempts)
  return {attempts, 0}
end
outbox(KEYS[2], 5 + n, #ARGV)
redis.call('DEL', KEYS[1], ARGV[3] .. redis.call('HGET', KEYS[1], 'token_hash'))
return {attempts, 1}`,
  },

  // Deletes a live share and its token key; exactly one of concurrent calls sees 1.
  // KEYS: share, outbox. ARGV: now, token key prefix, events…
  hushBurn: {
    keys: 2,
    lua: `${LIVE}${OUTBOX}
if not live(KEYS[1], ARGV[1]) then return 0 end
outbox(KEYS[2], 3, #ARGV)
redis.call('DEL', KEYS[1], ARGV[2] .. redis.call('HGET', KEYS[1], 'token_hash'))
return 1`,
  },

  // Extends the lease only while the caller's token still holds the lock (compare and set).
  // KEYS: lock. ARGV: holder token, ttl ms.
  hushRenewLock: {
    keys: 1,
    lua: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])`,
  },

  // Removes events moved into SQL from the outbox: each is unique (its id), and near the head.
  // KEYS: outbox. ARGV: the events moved.
  hushOutboxRemove: {
    keys: 1,
    lua: `
for i = 1, #ARGV do redis.call('LREM', KEYS[1], 1, ARGV[i]) end
return #ARGV`,
  },

  // Frees the lock only while the caller's token still holds it, never another holder's.
  // KEYS: lock. ARGV: holder token.
  hushReleaseLock: {
    keys: 1,
    lua: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])`,
  },
} as const;

export type ScriptName = keyof typeof SCRIPTS;
export type ScriptArg = string | number | Buffer;
/** Runs a script; bulk replies come back as Buffers (binary-safe), integers as numbers. */
export type RunScript = (
  name: ScriptName,
  keys: readonly string[],
  args: readonly ScriptArg[],
) => Promise<unknown>;

/**
 * Registers the scripts on a client (EVALSHA, falling back to EVAL after a Redis restart empties
 * its script cache) and returns a typed way to run them.
 */
export function defineScripts(redis: Redis): RunScript {
  for (const [name, script] of Object.entries(SCRIPTS)) {
    redis.defineCommand(name, { numberOfKeys: script.keys, lua: script.lua });
  }
  // defineCommand adds `<name>` and `<name>Buffer` methods that ioredis's types cannot know.
  const commands = redis as unknown as Record<string, (...args: ScriptArg[]) => Promise<unknown>>;
  return (name, keys, args) => {
    const command = commands[`${name}Buffer`];
    if (!command) throw new Error(`Redis script ${name} is not defined`);
    return command.call(redis, ...keys, ...args);
  };
}
