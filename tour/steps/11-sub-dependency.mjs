// §11: the socket's credentials: a bearer subprotocol, or, failing that, a one-time ticket.
import { customer } from '../lib/actors.mjs';
import { expectStatus, expectThat } from '../lib/expect.mjs';
import { closeCodeOf, openSocket } from '../lib/socket.mjs';
import { BASE_URL } from '../lib/system.mjs';

export const section = 11;
export const title = 'token or ticket, with the ticket as the fallback';

export async function run(tour) {
  const { tokens } = await customer(tour);
  // /ws/tickets is the gateway's own route, outside the services' documents: plain fetch.
  const response = await fetch(`${BASE_URL}/ws/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.access_token}` },
  });
  const { ticket, expiresIn } = expectStatus(
    { status: response.status, body: await response.json() },
    201,
    'POST /ws/tickets',
  );
  expectThat(typeof ticket === 'string' && expiresIn <= 30, 'no ticket, or one that lives over 30 s', {
    ticket,
    expiresIn,
  });
  const socket = await openSocket({ ticket });
  socket.close();
  const reused = await closeCodeOf({ ticket });
  expectThat(reused.code === 1008, 'a spent ticket was not refused with 1008', reused);
  return `ticket (expires in ${expiresIn} s) opened /ws once; reused → closed ${reused.code}`;
}
