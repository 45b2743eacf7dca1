import type { OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'undici';
import type { GatewayConfig } from '../gateway.config';
import type { ProxyRoute } from './route-access.model';
import { upstreamNames, urlVariable } from './upstreams.config';

interface Upstream {
  origin: string;
  pool: Pool;
}

/**
 * One keep-alive connection pool per service the route table forwards to,
 * at the origin its `<NAME>_URL` names, shared by all of its entries, so
 * `connections` bounds what the gateway can ask of it. Idle sockets are
 * closed per the services' `Keep-Alive: timeout=` hint (minus a margin), so
 * the gateway, not the service, closes them: no request is written to a
 * socket the other side is closing.
 */
export class UpstreamPoolsService implements OnApplicationShutdown {
  private readonly upstreams = new Map<string, Upstream>();

  constructor(routes: readonly ProxyRoute[], config: GatewayConfig) {
    for (const name of upstreamNames(routes)) {
      const origin = new URL(config[urlVariable(name)]).origin;
      const pool = new Pool(origin, {
        // Enough for a busy replica; beyond it requests queue in the gateway
        // rather than piling onto a service that is already saturated.
        connections: 128,
        // Node services answer in order anyway; pipelining would only let a
        // slow response hold up the ones queued behind it.
        pipelining: 1,
        // A service that takes longer to accept a connection is as good as down: 503 soon, not a hang.
        connectTimeout: 2_000,
        headersTimeout: config.UPSTREAM_TIMEOUT,
        bodyTimeout: config.UPSTREAM_TIMEOUT,
      });
      this.upstreams.set(name, { origin, pool });
    }
  }

  /** The services the route table forwards to. */
  names(): string[] {
    return [...this.upstreams.keys()];
  }

  get(name: string): Pool {
    return this.upstream(name).pool;
  }

  origin(name: string): string {
    return this.upstream(name).origin;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.upstreams.values()].map(({ pool }) => pool.close()));
  }

  private upstream(name: string): Upstream {
    const upstream = this.upstreams.get(name);
    if (!upstream) throw new Error(`No route table entry forwards to ${name}`);
    return upstream;
  }
}
