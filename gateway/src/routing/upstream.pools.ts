import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'undici';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import type { UpstreamName } from './route-access';
import { ROUTE_TABLE } from './route.table';

/**
 * One keep-alive connection pool per service, shared by all of its route
 * table entries, so `connections` bounds what the gateway can ask of it.
 * Idle sockets are closed per the services' `Keep-Alive: timeout=` hint
 * (minus a margin), so the gateway, not the service, closes them: no request
 * is written to a socket the other side is closing.
 */
@Injectable()
export class UpstreamPools implements OnApplicationShutdown {
  private readonly pools = new Map<UpstreamName, Pool>();
  private readonly origins: Record<UpstreamName, string>;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.origins = {
      users: new URL(config.USERS_URL).origin,
      items: new URL(config.ITEMS_URL).origin,
      orders: new URL(config.ORDERS_URL).origin,
      inventory: new URL(config.INVENTORY_URL).origin,
    };
    for (const name of new Set(ROUTE_TABLE.map((route) => route.upstream))) {
      this.pools.set(
        name,
        new Pool(this.origins[name], {
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
        }),
      );
    }
  }

  /** The services the route table forwards to. */
  names(): UpstreamName[] {
    return [...this.pools.keys()];
  }

  get(name: UpstreamName): Pool {
    const pool = this.pools.get(name);
    if (!pool) throw new Error(`No route table entry forwards to ${name}`);
    return pool;
  }

  origin(name: UpstreamName): string {
    return this.origins[name];
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
  }
}
