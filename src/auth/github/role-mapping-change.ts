import type { AuditService } from '../../audit/audit-service.js';
import type { AuditEvent } from '../../audit/audit-types.js';
import type { SettingEffect } from '../../settings/settings-service.js';
import type { TokenStore } from '../../storage/token-store.js';
import { onlyWidens } from './role-mapping.js';

export interface RoleMappingChangeDeps {
  readonly sessions: Pick<TokenStore, 'revokeGithubSessions'>;
  readonly audit: Pick<AuditService, 'prepare' | 'stored'>;
  readonly now?: () => number;
}

/**
 * What a change to `github.role_mapping` does besides storing it. A GitHub account's role is set at
 * sign-in, and hush keeps neither the GitHub token nor the memberships, so it cannot work out who
 * lost a role. Unless the change only widens the mapping, every GitHub session is revoked at once
 * (one atomic step with its token.revoked event) and each account gets its role from the new
 * mapping at its next sign-in. A retry of a failed change sets the same value, which revokes again.
 */
export function revokeGithubSessionsOnNarrowing(
  deps: RoleMappingChangeDeps,
): SettingEffect<'github.role_mapping'> {
  const now = deps.now ?? Date.now;
  return async ({ previous, next, actor, client }) => {
    if (onlyWidens(previous, next)) return;
    const events: AuditEvent[] = [];
    await deps.sessions.revokeGithubSessions(now(), (count) => {
      events.push(
        deps.audit.prepare({
          type: 'token.revoked',
          actor,
          client,
          data: { sessions: count, reason: 'github.role_mapping changed' },
        }),
      );
      return events;
    });
    deps.audit.stored(events);
  };
}
