// §21: every error is problem+json from one filter: a malformed id 400, an unknown one 404.
import { randomUUID } from 'node:crypto';
import { admin } from '../lib/actors.mjs';
import { expectStatus, expectThat } from '../lib/expect.mjs';

export const section = 21;
export const title = 'problem+json errors';

export async function run(tour) {
  const { api } = await admin(tour);
  const malformed = await api.items.GET('/api/v1/items/{id}', { params: { path: { id: 'not-a-uuid' } } });
  expectStatus({ response: malformed.response, data: malformed.error }, 400, 'a malformed id');
  const unknown = await api.items.GET('/api/v1/items/{id}', { params: { path: { id: randomUUID() } } });
  const problem = expectStatus({ response: unknown.response, data: unknown.error }, 404, 'an unknown id');
  const type = unknown.response.headers.get('content-type');
  expectThat(type.startsWith('application/problem+json'), 'not problem+json', type);
  expectThat(
    problem.type && problem.title && problem.status === 404,
    'type, title or status missing',
    problem,
  );
  expectThat(!JSON.stringify(problem).includes('    at '), 'a stack trace in the answer', problem);
  return `malformed id → 400; unknown id → 404 ${problem.code ?? problem.title} as problem+json`;
}
