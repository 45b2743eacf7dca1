import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { connect } from 'amqplib';
import { AmqpConnectionService } from '../src/events/amqp-connection.service';
import { silentBusLogger } from '../src/events/bus-logger.factory';
import { EventBusError } from '../src/events/event-bus.errors';
import { EventPublisherService } from '../src/events/event-publisher.service';
import { createTestVhost, rabbitmqctl, TestVhost } from '../src/events/testing/test-vhost.fixture';
import { consumerTopology, DEFAULT_EXCHANGE } from '../src/events/topology.model';
import { declareConsumerTopology } from '../src/events/topology.service';
import { eventually, orderPlaced, rawBroker, RawBroker } from './events.fixture';

const BROKER_SCRIPTS = join(__dirname, '..', '..', 'scripts', 'broker');
const definitions = JSON.parse(readFileSync(join(BROKER_SCRIPTS, 'definitions.json'), 'utf8'));
const run = promisify(execFile);
// bootstrap.sh runs the generator with `node`: the one running these tests.
const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` };

const devPassword = (service: string) =>
  process.env[`${service.toUpperCase()}_BROKER_PASSWORD`] || `${service}_broker_dev_password`;

interface Permission {
  user: string;
  [field: string]: string;
}

const byUser = (rows: Permission[]) => [...rows].sort((a, b) => a.user.localeCompare(b.user));
const withoutVhost = ({ vhost: _vhost, ...rest }: Permission) => rest;

function inventoryReserved() {
  const placed = orderPlaced();
  return {
    ...placed,
    type: 'inventory.reserved' as const,
    source: 'inventory' as const,
    data: { orderId: placed.aggregateId, lines: [{ itemId: placed.data.lines[0].itemId, quantity: 1 }] },
  };
}

describe('broker users and permissions', () => {
  let vhost: TestVhost;
  let broker: RawBroker;

  beforeAll(async () => {
    vhost = await createTestVhost();
    await run('bash', [join(BROKER_SCRIPTS, 'bootstrap.sh')], {
      env: { ...env, RABBITMQ_VHOST: vhost.name },
    });
    broker = await rawBroker(vhost.url);
  });

  afterAll(async () => {
    await broker?.close();
    await vhost?.delete();
  });

  it('keeps definitions.json as broker-definitions.mjs generates it', async () => {
    const { stdout } = await run(process.execPath, [join(BROKER_SCRIPTS, 'broker-definitions.mjs'), '--dev']);
    expect(definitions).toEqual(JSON.parse(stdout));
  });

  it("stores the dev passwords in definitions.json as RabbitMQ's salted SHA-256", () => {
    for (const user of definitions.users as { name: string; password_hash: string }[]) {
      const service = user.name === 'shop_admin' ? 'admin' : user.name.replace(/_svc$/, '');
      const stored = Buffer.from(user.password_hash, 'base64');
      const salt = stored.subarray(0, 4);
      const digest = createHash('sha256').update(salt).update(`${service}_broker_dev_password`).digest();
      expect(stored.subarray(4).equals(digest)).toBe(true);
    }
  });

  it('gives each user exactly the permissions of definitions.json when bootstrap.sh runs', async () => {
    const listed = async (command: string) =>
      (
        JSON.parse(await rabbitmqctl('-q', command, '-p', vhost.name, '--formatter', 'json')) as Permission[]
      ).filter((row) => row.user.endsWith('_svc'));
    const declared = (rows: Permission[]) =>
      rows.filter((row) => row.user.endsWith('_svc')).map(withoutVhost);

    expect(byUser(await listed('list_permissions'))).toEqual(byUser(declared(definitions.permissions)));
    expect(byUser(await listed('list_topic_permissions'))).toEqual(
      byUser(declared(definitions.topic_permissions)),
    );
  });

  describe('a service user', () => {
    let connection: AmqpConnectionService;
    let publisher: EventPublisherService;

    beforeAll(async () => {
      connection = new AmqpConnectionService({
        url: vhost.urlFor('inventory_svc', devPassword('inventory')),
        name: 'inventory-permissions-test',
        logger: silentBusLogger,
      });
      // Declaring its whole topology proves it may configure what it owns.
      const topology = consumerTopology({
        service: 'inventory',
        eventTypes: ['order.placed'],
        retryDelaysMs: [100],
        deliveryLimit: 5,
      });
      connection.onConnect(async (model) => {
        const channel = await model.createChannel();
        channel.on('error', () => undefined);
        await declareConsumerTopology(channel, topology);
        await channel.close();
      });
      connection.start();
      await connection.waitUntilConnected();
      publisher = new EventPublisherService(connection, { confirmTimeoutMs: 2_000 });
    });

    afterAll(async () => {
      await publisher?.close();
      await connection?.close();
    });

    it("is refused (403) when publishing another service's event type, and its next publish goes through", async () => {
      const received = await broker.tap(DEFAULT_EXCHANGE, ['order.placed', 'inventory.reserved']);

      const error = await publisher.publish(orderPlaced()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EventBusError);
      expect((error as EventBusError).code).toBe('BUS.REFUSED');
      expect((error as Error).message).toMatch(/ACCESS_REFUSED.*order\.placed/);

      const own = inventoryReserved();
      await publisher.publish(own);
      await eventually(() => received.some((message) => message.properties.messageId === own.id));
      expect(received.map((message) => message.fields.routingKey)).toEqual(['inventory.reserved']);
      expect(connection.isConnected()).toBe(true);
    });

    it("may not read another service's queue", async () => {
      await broker.channel.assertQueue('orders.events', {
        durable: true,
        arguments: { 'x-queue-type': 'quorum' },
      });
      const model = await connect(vhost.urlFor('inventory_svc', devPassword('inventory')));
      model.on('error', () => undefined);
      const channel = await model.createChannel();
      channel.on('error', () => undefined);

      await expect(channel.consume('orders.events', () => undefined)).rejects.toThrow(/403.*ACCESS_REFUSED/);
      await model.close();
    });
  });
});
