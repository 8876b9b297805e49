import type { Storage } from './storage.js';

/** A revocation message: a session id, or this for "several sessions or accounts changed". */
export const REVOKED_MANY = '*';

/**
 * The storage with its revoke paths announcing `revocation` on the notifier once they have
 * committed: a session revoked (or revoked by a refresh token's reuse), GitHub sessions revoked
 * by a narrowed role mapping, an account deleted or its role changed. A per-node cache of token
 * lookups or policies drops what it holds on such a message instead of waiting for its poll.
 * The store's answer is unchanged; an announcement that fails is only logged (see Notifier).
 */
export function announceRevocations(storage: Storage): Storage {
  const { tokens, users, notifier } = storage;
  const announce = (message: string) => notifier.publish('revocation', message);
  return {
    ...storage,
    tokens: {
      ...tokens,
      async revokeSession(sessionId, now, events) {
        const revoked = await tokens.revokeSession(sessionId, now, events);
        if (revoked) announce(sessionId);
        return revoked;
      },
      async rotateRefresh(hash, now, replacements, events) {
        const outcome = await tokens.rotateRefresh(hash, now, replacements, events);
        if (outcome.outcome === 'reused') announce(outcome.found.session.id);
        return outcome;
      },
      async revokeGithubSessions(now, eventsFor) {
        const revoked = await tokens.revokeGithubSessions(now, eventsFor);
        if (revoked > 0) announce(REVOKED_MANY);
        return revoked;
      },
    },
    users: {
      ...users,
      async setRoleUnlessLastAdmin(id, role, events) {
        const outcome = await users.setRoleUnlessLastAdmin(id, role, events);
        if (outcome === 'done') announce(REVOKED_MANY);
        return outcome;
      },
      async deleteUnlessLastAdmin(username, events) {
        const outcome = await users.deleteUnlessLastAdmin(username, events);
        if (outcome === 'done') announce(REVOKED_MANY);
        return outcome;
      },
    },
  };
}
