// The suite's HTTP client: every call goes through one of the two gateways, as the public
// API does, with the answers it got kept for the checks (status, or the network error).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { URLSearchParams } from 'node:url';
import { GATEWAYS, url } from './system.mjs';

/** One HTTP call: `{ status, body, ms }`, or `{ status: 0, error }` when there was no answer. */
export async function call(
  gateway,
  method,
  path,
  { token, json, form, headers = {}, timeoutMs = 10_000 } = {},
) {
  const started = Date.now();
  const init = { method, headers: { ...headers }, signal: AbortSignal.timeout(timeoutMs) };
  if (token) init.headers.authorization = `Bearer ${token}`;
  if (json !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(json);
  }
  if (form) init.body = new URLSearchParams(form);
  try {
    const response = await fetch(`${url(gateway)}${path}`, init);
    const text = await response.text();
    let body = text;
    try {
      body = JSON.parse(text);
    } catch {
      // a non-JSON answer is kept as text
    }
    return { status: response.status, body, ms: Date.now() - started };
  } catch (error) {
    return { status: 0, error: error.cause?.code ?? error.name, ms: Date.now() - started };
  }
}

export async function login(username, password, gateway = GATEWAYS[0]) {
  const answer = await call(gateway, 'POST', '/auth/token', {
    form: { grant_type: 'password', username, password },
  });
  if (answer.status !== 200)
    throw new Error(`login of ${username}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.access_token;
}

/** Registers and logs in `count` customers, spread over both gateways. */
export async function makeCustomers(count, tag) {
  const customers = [];
  for (let i = 0; i < count; i++) {
    const gateway = GATEWAYS[i % GATEWAYS.length];
    const username = `f${tag}${i}${randomUUID().slice(0, 6)}`;
    const password = 'Faults123!x';
    const made = await call(gateway, 'POST', '/api/v1/users', {
      json: { username, email: `${username}@faults.test`, password },
    });
    if (made.status !== 201)
      throw new Error(`register ${username}: ${made.status} ${JSON.stringify(made.body)}`);
    customers.push({
      username,
      password,
      id: made.body.id,
      gateway,
      token: await login(username, password, gateway),
    });
  }
  return customers;
}

const RETRYABLE = new Set([0, 502, 503, 504]);

// The next try: at once on the other gateway when there was no answer, else 200 ms doubling
// to 1 s. Retry-After (10 s when items is away) is not waited out: the suite keeps asking,
// so that it sees when the system answers again.
const backoff = (tries, status) => (status === 0 && tries < 3 ? 20 : Math.min(1000, 100 * 2 ** tries));

/**
 * Places an order with its own Idempotency-Key, retrying a lost answer (no answer,
 * 502/503/504) with the same key on the other gateway, as a client behind a load
 * balancer would, until `deadline`. Every answer is recorded in `op.answers`.
 */
export async function placeOrder(customer, lines, { deadline, record, everyMs }) {
  const op = { kind: 'place', key: randomUUID(), customer, answers: [], orderIds: new Set() };
  let gateway = customer.gateway;
  while (Date.now() < deadline) {
    const answer = await call(gateway, 'POST', '/api/v1/orders', {
      token: customer.token,
      json: { lines },
      headers: { 'idempotency-key': op.key },
    });
    op.answers.push(answer);
    record?.(op, answer);
    if (answer.status === 201) {
      op.orderIds.add(answer.body.id);
      op.order = answer.body;
      return op;
    }
    if (!RETRYABLE.has(answer.status) && answer.status !== 429) return op;
    gateway = GATEWAYS[(GATEWAYS.indexOf(gateway) + 1) % GATEWAYS.length];
    await sleep(everyMs ?? backoff(op.answers.length, answer.status));
  }
  return op;
}

/** Cancels one order, retrying lost answers like `placeOrder`. */
export async function cancelOrder(customer, orderId, { deadline, record }) {
  const op = { kind: 'cancel', customer, orderId, answers: [] };
  let gateway = customer.gateway;
  while (Date.now() < deadline) {
    const answer = await call(gateway, 'POST', `/api/v1/orders/${orderId}/cancel`, { token: customer.token });
    op.answers.push(answer);
    record?.(op, answer);
    if (!RETRYABLE.has(answer.status) && answer.status !== 429) return op;
    gateway = GATEWAYS[(GATEWAYS.indexOf(gateway) + 1) % GATEWAYS.length];
    await sleep(backoff(op.answers.length, answer.status));
  }
  return op;
}

/** Every order in a customer's list, paging with limit/skip as a client would. */
export async function listOrders(customer, pageSize = 20, { untilEmpty = false } = {}) {
  const orders = [];
  for (let skip = 0; ; skip += pageSize) {
    const page = await call(customer.gateway, 'GET', `/api/v1/orders?limit=${pageSize}&skip=${skip}`, {
      token: customer.token,
    });
    if (page.status !== 200) throw new Error(`list of ${customer.username}: ${page.status}`);
    orders.push(...page.body);
    const last = untilEmpty ? page.body.length === 0 : page.body.length < pageSize;
    if (last || skip > 10_000) return orders;
  }
}
