// §4: orders asks items for each price over REST; an item items does not know is a 422, not a 500.
import { randomUUID } from 'node:crypto';
import { customer } from '../lib/actors.mjs';
import { expectStatus, expectThat } from '../lib/expect.mjs';

export const section = 4;
export const title = 'orders calls items over REST';

export async function run(tour) {
  const { api } = await customer(tour);
  const result = await api.orders.POST('/api/v1/orders', {
    body: { lines: [{ itemId: randomUUID(), quantity: 1 }] },
  });
  const problem = expectStatus(
    { response: result.response, data: result.error },
    422,
    'an order of an unknown item',
  );
  expectThat(
    typeof problem.code === 'string' || typeof problem.type === 'string',
    'no problem type',
    problem,
  );
  return `an unknown item → 422 ${problem.code ?? problem.type}`;
}
