// §18: /ws refuses a socket without credentials with 1008, and keeps the ones it accepts alive.
import { customerSocket } from '../lib/actors.mjs';
import { expectThat } from '../lib/expect.mjs';
import { closeCodeOf } from '../lib/socket.mjs';

export const section = 18;
export const title = 'the WebSocket and its credentials';

export async function run(tour) {
  const refused = await closeCodeOf({});
  expectThat(refused.code === 1008, 'a socket without credentials was not closed with 1008', refused);
  const bad = await closeCodeOf({ token: 'not.a.token' });
  expectThat(bad.code === 1008, 'a socket with a bad token was not closed with 1008', bad);
  const socket = await customerSocket(tour);
  expectThat(
    socket.ws.protocol === 'bearer',
    'the server did not answer with the bearer subprotocol',
    socket.ws.protocol,
  );
  // The heartbeat: the gateway pings every WS_HEARTBEAT_INTERVAL; ws answers pong by itself.
  return 'no credentials → 1008, a bad token → 1008; the customer\'s socket is open with subprotocol "bearer"';
}
