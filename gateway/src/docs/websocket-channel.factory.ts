// The gateway's WebSocket in the AsyncAPI document: what `GET /ws` sends and takes, beside
// the broker's events it is built from. The event notifications reuse the events' own
// `data` schemas, so the two cannot drift; the rest is what ws-server.service.ts,
// notification.handler.ts and client-message.handler.ts write.
type JsonSchema = Record<string, unknown>;
type AsyncApiDocument = {
  servers: Record<string, unknown>;
  channels: Record<string, unknown>;
  operations: Record<string, unknown>;
  components: { messages: Record<string, { payload: { properties: Record<string, JsonSchema> } }> };
};

/** Events pushed to their owner (`data` without `userId`) or to holders of a scope, as is. */
const FROM_EVENTS: Record<string, { without?: string; to: string }> = {
  'order.confirmed': { without: 'userId', to: "the order's owner" },
  'order.rejected': { without: 'userId', to: "the order's owner" },
  'order.cancelled': { without: 'userId', to: "the order's owner" },
  'inventory.low_stock': { to: 'every socket whose token holds `inventory:read`' },
};

const push = (type: string, data: JsonSchema, summary: string) => ({
  name: type,
  title: type,
  summary,
  contentType: 'application/json',
  payload: {
    type: 'object',
    required: ['type', 'data'],
    additionalProperties: false,
    properties: { type: { const: type }, data },
  },
});

const object = (properties: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  required: Object.keys(properties),
  additionalProperties: false,
  properties,
});

function eventData(document: AsyncApiDocument, type: string, without?: string): JsonSchema {
  const data = { ...document.components.messages[`${type}.v1`].payload.properties.data };
  if (!without) return data;
  const { [without]: _dropped, ...properties } = data.properties as Record<string, JsonSchema>;
  return { ...data, properties, required: (data.required as string[]).filter((name) => name !== without) };
}

/** `document` (the events' AsyncAPI document) with the gateway's WebSocket added to it. */
export function withWebSocketChannel<D extends object>(events: D) {
  const document = events as unknown as AsyncApiDocument;
  const messages: Record<string, unknown> = {
    'ws.ready': push(
      'ready',
      object({ userId: { type: 'string', format: 'uuid' }, expiresAt: { type: 'integer' } }),
      'The first message on an authenticated socket: whose it is and when its token expires (seconds).',
    ),
    ...Object.fromEntries(
      Object.entries(FROM_EVENTS).map(([type, { without, to }]) => [
        `ws.${type}`,
        push(type, eventData(document, type, without), `The ${type} event, pushed to ${to}.`),
      ]),
    ),
    'ws.announcement': push(
      'announcement',
      eventData(document, 'announcement.published'),
      'An announcement.published event, pushed to every socket of every gateway replica.',
    ),
    'ws.pong': push('pong', object({}), 'The answer to a `ping`, on that socket only.'),
    'ws.ping': {
      ...push(
        'ping',
        object({}),
        'An application-level ping. More than 20 client messages in 10 s close with 1008.',
      ),
      payload: {
        type: 'object',
        required: ['type'],
        properties: { type: { const: 'ping' }, data: object({}) },
      },
    },
  };
  const ref = (id: string) => ({ $ref: `#/channels/websocket/messages/${id}` });
  const sent = Object.keys(messages).filter((id) => id !== 'ws.ping');
  return {
    ...events,
    servers: {
      ...document.servers,
      gateway: { host: 'localhost:8080', protocol: 'ws', description: 'The gateway’s public port.' },
    },
    channels: {
      ...document.channels,
      websocket: {
        address: '/ws',
        title: 'WebSocket notifications',
        description:
          'Opened with `Sec-WebSocket-Protocol: bearer, <token>` or `?ticket=` from `POST /ws/tickets`; ' +
          'refused credentials close the socket with 1008, an outage with 1013.',
        servers: [{ $ref: '#/servers/gateway' }],
        messages: Object.fromEntries(
          Object.keys(messages).map((id) => [id, { $ref: `#/components/messages/${id}` }]),
        ),
      },
    },
    operations: {
      ...document.operations,
      'gateway.pushes': {
        action: 'send',
        channel: { $ref: '#/channels/websocket' },
        title: 'The gateway pushes to a socket',
        messages: sent.map(ref),
      },
      'gateway.receivesPing': {
        action: 'receive',
        channel: { $ref: '#/channels/websocket' },
        title: 'The gateway answers a ping',
        messages: [ref('ws.ping')],
        reply: { channel: { $ref: '#/channels/websocket' }, messages: [ref('ws.pong')] },
      },
    },
    components: { ...document.components, messages: { ...document.components.messages, ...messages } },
  };
}
