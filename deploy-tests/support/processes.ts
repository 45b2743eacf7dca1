import type { z } from 'zod';
import { gatewayEnv, upstreamEnv } from '../../gateway/src/gateway.config';
import { ROUTE_TABLE } from '../../gateway/src/routing/route-table.config';
import { inventoryEnv } from '../../services/inventory/src/inventory.config';
import { itemsEnv } from '../../services/items/src/items.config';
import { ordersEnv } from '../../services/orders/src/orders.config';
import { usersEnv } from '../../services/users/src/users.config';
import { filesUnder, readText } from './repo';

/** One of Shop's own processes, with the config schema it validates its environment against. */
export interface AppProcess {
  name: string;
  /** The workspace folder. */
  dir: string;
  /** The port of its HTTP server (PORT). */
  port: number;
  /** Where /metrics and the probes are served: PORT, or the gateway's ADMIN_PORT. */
  metricsPort: number;
  /** Whether it owns a database schema (and so runs migrations). */
  schema: boolean;
  env: z.ZodObject;
  /** Variables its code reads under names built at run time (the gateway's `<NAME>_URL`, one per route-table service). */
  readByDerivedName?: string[];
}

const gatewayUpstreams = upstreamEnv(ROUTE_TABLE);

export const PROCESSES: AppProcess[] = [
  { name: 'users', dir: 'services/users', port: 3001, metricsPort: 3001, schema: true, env: usersEnv },
  { name: 'items', dir: 'services/items', port: 3002, metricsPort: 3002, schema: true, env: itemsEnv },
  { name: 'orders', dir: 'services/orders', port: 3003, metricsPort: 3003, schema: true, env: ordersEnv },
  {
    name: 'inventory',
    dir: 'services/inventory',
    port: 3004,
    metricsPort: 3004,
    schema: true,
    env: inventoryEnv,
  },
  {
    name: 'gateway',
    dir: 'gateway',
    port: 8080,
    metricsPort: 8081,
    schema: false,
    env: gatewayEnv.extend(gatewayUpstreams.shape),
    readByDerivedName: Object.keys(gatewayUpstreams.shape),
  },
];

/**
 * Variables the deployments set before the code reads them, so that the
 * broker user each process will connect as is already in place. Remove an
 * entry once the process's config reads the variable.
 */
export const AHEAD_OF_CODE: Record<string, string[]> = {
  // WebSocket notifications: each gateway replica will consume events.
  gateway: ['RABBITMQ_URL'],
};

/** Every variable the process's config schema declares. */
export const configVariables = (proc: AppProcess): string[] => Object.keys(proc.env.shape);

/** The variables it cannot start without (no default, not optional). */
export const requiredVariables = (proc: AppProcess): string[] =>
  Object.entries(proc.env.shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
    .map(([name]) => name);

/**
 * The declared variables its code actually reads (`config.X`, outside tests):
 * a variable a process declares but never uses, such as the REDIS_URL every
 * service inherits, needs no network path.
 */
export function usedVariables(proc: AppProcess): string[] {
  const source = filesUnder(`${proc.dir}/src`, /\.ts$/)
    .filter((file) => !/\.(spec|e2e-spec)\.ts$/.test(file))
    .map(readText)
    .join('\n');
  const derived = new Set(proc.readByDerivedName ?? []);
  for (const [helper, names] of Object.entries(sharedConfigReaders()))
    if (new RegExp(`\\b${helper}\\(`).test(source)) names.forEach((name) => derived.add(name));
  return configVariables(proc).filter(
    (name) => derived.has(name) || new RegExp(`\\.${name}\\b`).test(source),
  );
}

/**
 * The helpers of @shop/shared's config that read variables of the config they
 * are given (`export const jwksUrlOf = ({ USERS_URL }: Pick<…>) => …`): a
 * process that calls one reads those variables too.
 */
function sharedConfigReaders(): Record<string, string[]> {
  const readers: Record<string, string[]> = {};
  for (const file of filesUnder('shared/src/config', /\.ts$/).filter((name) => !name.endsWith('.spec.ts')))
    for (const [, helper, names] of readText(file).matchAll(/^export const (\w+) = \(\{([^}]*)\}: Pick</gm))
      readers[helper] = names
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean);
  return readers;
}

/** Environment variables whose value is the URL of a dependency: each is a network path. */
export const URL_VARIABLES = [
  'DATABASE_URL',
  'RABBITMQ_URL',
  'REDIS_URL',
  'USERS_URL',
  'ITEMS_URL',
  'ORDERS_URL',
  'INVENTORY_URL',
];

const DEFAULT_PORTS: Record<string, number> = {
  postgres: 5432,
  postgresql: 5432,
  amqp: 5672,
  amqps: 5671,
  redis: 6379,
  rediss: 6379,
  http: 80,
  https: 443,
};

/** host and port of a dependency URL such as postgres://u:p@postgres:5432/shop. */
export function endpointOf(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  const scheme = parsed.protocol.replace(/:$/, '');
  return { host: parsed.hostname, port: Number(parsed.port || DEFAULT_PORTS[scheme]) };
}
