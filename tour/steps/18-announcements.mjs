// §18: the connection manager's broadcast: an admin's announcement reaches every open socket.
import { admin, customerSocket } from '../lib/actors.mjs';
import { expectThat } from '../lib/expect.mjs';
import { BASE_URL } from '../lib/system.mjs';

export const section = 18;
export const title = 'an announcement to every socket';

export async function run(tour) {
  const socket = await customerSocket(tour);
  const { tokens } = await admin(tour);
  const message = `Tour announcement ${Date.now()}`;
  // Plain fetch until the users document (and so @shop/client) describes POST /api/v1/announcements.
  const response = await fetch(`${BASE_URL}/api/v1/announcements`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ message }),
  });
  expectThat(
    [200, 201, 202].includes(response.status),
    `POST /api/v1/announcements answered ${response.status}`,
    await response.text(),
  );
  const push = await socket.waitFor(
    (m) => m.type === 'announcement' && m.data?.message === message,
    10_000,
    'the announcement push',
  );
  expectThat(push.data.publishedAt, 'the push has no publishedAt', push);
  return `POST ${response.status}; the customer's socket got {type: "announcement", message, publishedAt: ${push.data.publishedAt}}`;
}
