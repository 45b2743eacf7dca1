import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type EventType, parseEvent, type ShopEvent } from '@shop/shared';
import {
  createServiceApp,
  createTestDatabase,
  createTestVhost,
  serviceOptions,
  startTestTokenIssuer,
  TestDatabase,
  TestTokenIssuer,
  TestVhost,
} from '@shop/shared/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { migrations } from '../../src/migrations';
import { loadOrdersConfig } from '../../src/orders.config';
import { FakeItems } from './fake-items.fixture';

export const CUSTOMER_SCOPES = ['items:read', 'orders:read', 'orders:write'];
export const ADMIN_SCOPES = [...CUSTOMER_SCOPES, 'orders:all'];

export interface Customer {
  id: string;
  token: string;
}

/** An order as the API shows it. */
export interface PlacedOrder {
  id: string;
  userId: string;
  status: string;
  lines: { itemId: string; quantity: number; unitPrice: string }[];
  total: string;
  createdAt: string;
}

/** An order's lines as inventory's events carry them. */
export const quantities = (order: PlacedOrder) =>
  order.lines.map(({ itemId, quantity }) => ({ itemId, quantity }));

export interface OutboxRow {
  type: string;
  aggregateId: string;
  aggregateVersion: number;
  correlationId: string;
  data: Record<string, unknown>;
}

/**
 * The orders service on its own throw-away database (connected as the real
 * `orders_svc` role), with tokens from a stand-in users service and prices
 * from a fake items service the test can switch into failure modes.
 */
export class OrdersApp {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly db: TestDatabase,
    readonly tokens: TestTokenIssuer,
    readonly items: FakeItems,
    /** A RabbitMQ virtual host of this app's own. */
    readonly vhost: TestVhost,
    /** A superuser connection to the test database, for looking behind the API. */
    readonly admin: Client,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<OrdersApp> {
    const [db, tokens, items, vhost] = await Promise.all([
      createTestDatabase({ services: [{ schema: 'orders', migrations }] }),
      startTestTokenIssuer(),
      new FakeItems().start(),
      createTestVhost(),
    ]);
    const config = loadOrdersConfig({
      DATABASE_URL: db.runtimeUrl('orders'),
      LOG_LEVEL: 'silent',
      USERS_URL: tokens.usersUrl,
      JWT_ISSUER: tokens.issuer,
      JWT_AUDIENCE: tokens.audience,
      RABBITMQ_URL: vhost.url,
      ITEMS_URL: items.url,
      // Generous for a loaded CI machine; the resilience tests tighten these.
      ITEMS_TIMEOUT: '2s',
      ITEMS_RETRIES: '1',
      ITEMS_RETRY_DELAY: '10ms',
      ITEMS_BREAKER_THRESHOLD: '20',
      ORDER_EXPIRY_INTERVAL: '1h',
      ...env,
    });
    const app = await createServiceApp(AppModule.forRoot(config), serviceOptions('orders', config));
    const admin = new Client({ connectionString: db.adminUrl });
    await admin.connect();
    return new OrdersApp(app, db, tokens, items, vhost, admin);
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.admin.end();
    await Promise.all([this.db.drop(), this.tokens.close(), this.items.close(), this.vhost.delete()]);
  }

  async customer(scopes: string[] = CUSTOMER_SCOPES): Promise<Customer> {
    const id = randomUUID();
    return { id, token: await this.tokens.token(scopes, id) };
  }

  place(token: string, payload: unknown, headers: Record<string, string> = {}) {
    return this.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { authorization: `Bearer ${token}`, ...headers },
      payload: payload as object,
    });
  }

  call(method: 'GET' | 'POST', url: string, token: string) {
    return this.app.inject({ method, url, headers: { authorization: `Bearer ${token}` } });
  }

  cancel(orderId: string, token: string) {
    return this.call('POST', `/api/v1/orders/${orderId}/cancel`, token);
  }

  /** Places a one-line order for a new item and returns the response body. */
  async placeSimple(customer: Customer, price = '10.00', quantity = 1): Promise<PlacedOrder> {
    const response = await this.place(customer.token, {
      lines: [{ itemId: this.items.item(price), quantity }],
    });
    if (response.statusCode !== 201) throw new Error(`place failed: ${response.statusCode} ${response.body}`);
    return response.json();
  }

  /** The events written to the outbox, oldest first (published or not). */
  async events(filter: { type?: string; aggregateId?: string } = {}): Promise<OutboxRow[]> {
    const { rows } = await this.admin.query(
      `SELECT payload FROM orders.outbox
        WHERE ($1::text IS NULL OR type = $1) AND ($2::text IS NULL OR payload->>'aggregateId' = $2)
        ORDER BY created_at, payload->>'aggregateVersion'`,
      [filter.type ?? null, filter.aggregateId ?? null],
    );
    return rows.map(({ payload }) => ({
      type: payload.type,
      aggregateId: payload.aggregateId,
      aggregateVersion: payload.aggregateVersion,
      correlationId: payload.correlationId,
      data: payload.data,
    }));
  }

  async countOrders(where = 'true', params: unknown[] = []): Promise<number> {
    const { rows } = await this.admin.query(
      `SELECT count(*)::int AS n FROM orders.orders WHERE ${where}`,
      params,
    );
    return rows[0].n;
  }

  /** Runs a saga handler as the bus does: inside a transaction. */
  deliver<T extends EventType>(
    handler: { handle(event: ShopEvent<T>, tx: EntityManager): Promise<void> },
    event: ShopEvent<T>,
  ): Promise<void> {
    return this.app.get(DataSource).transaction((tx) => handler.handle(event, tx));
  }
}

/** An event as inventory would publish it, checked against its contract. */
export function inventoryEvent<T extends 'inventory.reserved' | 'inventory.rejected'>(
  type: T,
  data: ShopEvent<T>['data'],
): ShopEvent<T> {
  return parseEvent({
    id: randomUUID(),
    type,
    version: 1,
    occurredAt: new Date().toISOString(),
    source: 'inventory',
    correlationId: `test-${randomUUID()}`,
    aggregateId: data.orderId,
    aggregateVersion: 1,
    data,
  }) as ShopEvent<T>;
}
