import { Parser } from '@asyncapi/parser';
import { asyncApiDocument } from '@shop/shared';
import { GATEWAY_SUBSCRIPTIONS } from '../events/gateway.subscriptions';
import { withWebSocketChannel } from './websocket-channel.factory';

describe('the WebSocket in the AsyncAPI document', () => {
  const events = asyncApiDocument({ receivers: { gateway: GATEWAY_SUBSCRIPTIONS } });
  const document = withWebSocketChannel(events) as unknown as {
    channels: Record<string, { address: string; messages: Record<string, unknown> }>;
    components: { messages: Record<string, { payload: { properties: { data: { properties: object } } } }> };
  };

  it('is a valid AsyncAPI 3.0 document with the events and the socket', async () => {
    const { diagnostics } = await new Parser().parse(JSON.parse(JSON.stringify(document)));
    expect(diagnostics.filter((d) => d.severity === 0)).toEqual([]);
    expect(document.channels.websocket.address).toBe('/ws');
    expect(Object.keys(document.channels).length).toBe(Object.keys(events.channels).length + 1);
  });

  it('describes every push the gateway makes and the ping it answers', () => {
    expect(Object.keys(document.channels.websocket.messages).sort()).toEqual(
      [
        'ws.announcement',
        'ws.inventory.low_stock',
        'ws.order.cancelled',
        'ws.order.confirmed',
        'ws.order.rejected',
        'ws.ping',
        'ws.pong',
        'ws.ready',
      ].sort(),
    );
  });

  it("takes an order notification's data from the event's schema, without the owner's id", () => {
    const pushed = Object.keys(
      document.components.messages['ws.order.confirmed'].payload.properties.data.properties,
    );
    const event = Object.keys(
      document.components.messages['order.confirmed.v1'].payload.properties.data.properties,
    );
    expect(pushed).toEqual(event.filter((name) => name !== 'userId'));
    expect(pushed.length).toBeGreaterThan(0);
  });
});
