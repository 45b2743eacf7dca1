/** A dependency the readiness probe reports on. */
export interface HealthCheck {
  name: string;
  /** Critical checks fail readiness; the others only degrade it (SPEC: Ready). */
  critical: boolean;
  check(): Promise<unknown>;
}

export interface ReadinessReport {
  status: 'ok' | 'degraded' | 'down';
  checks: Record<string, { status: 'up' | 'down'; critical: boolean; error?: string }>;
}

const CHECK_TIMEOUT_MS = 1500;

async function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Collects the checks each module registers and runs them for `/health/ready`. */
export class HealthRegistryService {
  private readonly checks: HealthCheck[] = [];
  private draining = false;

  /** From now on readiness is down: the process is shutting down and wants no new traffic. */
  drain(): void {
    this.draining = true;
  }

  register(check: HealthCheck): void {
    this.checks.push(check);
  }

  async readiness(): Promise<ReadinessReport> {
    if (this.draining) {
      return {
        status: 'down',
        checks: { shutdown: { status: 'down', critical: true, error: 'shutting down' } },
      };
    }
    const results = await Promise.all(
      this.checks.map(async ({ name, critical, check }) => {
        try {
          await withTimeout(check());
          return [name, { status: 'up' as const, critical }] as const;
        } catch (error) {
          return [name, { status: 'down' as const, critical, error: (error as Error).message }] as const;
        }
      }),
    );
    const checks = Object.fromEntries(results);
    const down = results.filter(([, result]) => result.status === 'down');
    const status = down.some(([, result]) => result.critical) ? 'down' : down.length > 0 ? 'degraded' : 'ok';
    return { status, checks };
  }
}
