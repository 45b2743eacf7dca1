import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * One Prometheus registry per application (not prom-client's global one), so
 * several apps can live in one test process. Services add their own metrics
 * to `registry`.
 */
export class HttpMetrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
  }

  /**
   * `health_ready`: 1 while the readiness check passes, 0 while it fails or the
   * process drains, evaluated at each scrape, so an alert can name a process
   * that is up but refusing traffic.
   */
  reportReadiness(readiness: () => Promise<{ status: string }>): void {
    new Gauge({
      name: 'health_ready',
      help: 'Whether /health/ready passes (1) or not (0)',
      registers: [this.registry],
      async collect() {
        this.set((await readiness()).status === 'down' ? 0 : 1);
      },
    });
  }
}
