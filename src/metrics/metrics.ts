import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The process's Prometheus instruments, on a registry of its own (no global state). */
export interface Metrics {
  readonly registry: Registry;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly httpInFlight: Gauge;
  readonly auditEvents: Counter<'type'>;
  readonly sweptShares: Counter<'outcome'>;
  readonly sweeperSkips: Counter;
  readonly workerTicks: Counter<'job' | 'outcome'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hush_' });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'hush_http_request_duration_seconds',
      help: 'HTTP request duration by route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    httpInFlight: new Gauge({
      name: 'hush_http_requests_in_flight',
      help: 'Requests received and not yet answered (what a graceful shutdown drains)',
      registers: [registry],
    }),
    auditEvents: new Counter({
      name: 'hush_audit_events_total',
      help: 'Audit events stored, by type (share.created, share.viewed, token.revoked, …)',
      labelNames: ['type'],
      registers: [registry],
    }),
    sweptShares: new Counter({
      name: 'hush_sweeper_shares_total',
      help: 'Sweeper work by outcome: expired (share content erased), purged (share records), events_purged, secrets_purged, sessions_purged, secret_ids_purged',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    sweeperSkips: new Counter({
      name: 'hush_sweeper_skipped_passes_total',
      help: 'Sweeper passes left to another node that held the sweeper lock',
      registers: [registry],
    }),
    workerTicks: new Counter({
      name: 'hush_worker_ticks_total',
      help: 'Background job ticks by job and outcome (ran, skipped: another node held the lock, failed, timed_out)',
      labelNames: ['job', 'outcome'],
      registers: [registry],
    }),
  };
}
