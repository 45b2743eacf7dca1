import { EVENT_SOURCES, EVENT_TYPES, EventType, sourceOf } from '../contracts';
import { DEFAULT_EXCHANGE } from '../topology.model';
import { eventMessage, messageId, versionsOf } from './event-message.factory';
import { SERVICE_RECEIVERS } from './event-receivers.model';

const AMQP_BINDING = '0.3.0';

export interface AsyncApiDocumentOptions {
  /**
   * Receivers besides the services of `SERVICE_RECEIVERS`: the gateway passes
   * its own subscriptions (`{ gateway: GATEWAY_SUBSCRIPTIONS }`).
   */
  receivers?: Readonly<Record<string, readonly EventType[]>>;
}

/** Who reads a receiver's messages, for the operation's description. */
const queueOf = (service: string) =>
  service === 'gateway'
    ? 'each replica’s exclusive, auto-delete queue `gateway.<replica>.events` (at most once, no dead letters)'
    : `its durable quorum queue \`${service}.events\` (manual acks; invalid events go to \`${service}.events.dlq\`)`;

const channelOf = (type: EventType) => ({
  address: type,
  title: type,
  description: `Every ${type} event: published to the \`${DEFAULT_EXCHANGE}\` topic exchange with the type as the routing key.`,
  messages: Object.fromEntries(
    versionsOf(type).map((version) => {
      const id = messageId(type, version);
      return [id, { $ref: `#/components/messages/${id}` }];
    }),
  ),
  bindings: {
    amqp: {
      is: 'routingKey',
      exchange: { name: DEFAULT_EXCHANGE, type: 'topic', durable: true, autoDelete: false, vhost: '/' },
      bindingVersion: AMQP_BINDING,
    },
  },
});

const messagesOf = (type: EventType) =>
  versionsOf(type).map((version) => ({ $ref: `#/channels/${type}/messages/${messageId(type, version)}` }));

function operationsOf(type: EventType, receivers: Record<string, readonly EventType[]>) {
  const source = sourceOf(type);
  const channel = { $ref: `#/channels/${type}` };
  const send = {
    action: 'send',
    channel,
    title: `${source} sends ${type}`,
    description: `Written to ${source}'s outbox in the transaction of the change, relayed with publisher confirms.`,
    tags: [{ name: source }],
    messages: messagesOf(type),
    bindings: { amqp: { deliveryMode: 2, mandatory: true, timestamp: true, bindingVersion: AMQP_BINDING } },
  };
  const receives = Object.entries(receivers)
    .filter(([, types]) => types.includes(type))
    .map(([service]) => [
      `${service}.receives.${type}`,
      {
        action: 'receive',
        channel,
        title: `${service} receives ${type}`,
        description: `Through ${queueOf(service)}.`,
        tags: [{ name: service }],
        messages: messagesOf(type),
        bindings: { amqp: { ack: service !== 'gateway', bindingVersion: AMQP_BINDING } },
      },
    ]);
  return [[`${source}.sends.${type}`, send], ...receives];
}

/**
 * The AsyncAPI 3.0 document of every event the system carries, made from the
 * contracts the bus checks at run time (`EVENT_SCHEMAS`, `LATER_VERSIONS`):
 * one channel per event type (its routing key on `shop.events`), one message
 * per accepted version, a send operation for the type's only publisher
 * (`sourceOf`) and a receive operation per subscriber.
 */
export function asyncApiDocument(options: AsyncApiDocumentOptions = {}) {
  const receivers = { ...SERVICE_RECEIVERS, ...options.receivers };
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Shop events',
      version: '1.0.0',
      description:
        'The integration events of Shop, carried by RabbitMQ. Every event is an envelope ' +
        '(id, type, version, occurredAt, source, correlationId, aggregateId, aggregateVersion) around ' +
        'its `data`; consumers ignore an event older than the state they hold (aggregateVersion).',
      license: { name: 'MIT' },
      tags: [...EVENT_SOURCES, ...Object.keys(receivers)]
        .filter((name, index, all) => all.indexOf(name) === index)
        .map((name) => ({ name, description: `Events ${name} sends or receives` })),
    },
    defaultContentType: 'application/json',
    servers: {
      rabbitmq: {
        host: 'rabbitmq:5672',
        protocol: 'amqp',
        protocolVersion: '0-9-1',
        description:
          'The deployment’s broker; each service connects as its own user, limited to its own types.',
      },
    },
    channels: Object.fromEntries(EVENT_TYPES.map((type) => [type, channelOf(type)])),
    operations: Object.fromEntries(EVENT_TYPES.flatMap((type) => operationsOf(type, receivers))),
    components: {
      messages: Object.fromEntries(
        EVENT_TYPES.flatMap((type) =>
          versionsOf(type).map((version) => [messageId(type, version), eventMessage(type, version)]),
        ),
      ),
    },
  };
}
