// The tour's checks: each throws an Error that says what was expected and what came back,
// so a failed step's line is the whole diagnosis.

const show = (value) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === undefined ? 'nothing' : text.length > 300 ? `${text.slice(0, 300)}…` : text;
};

/** `result` is what the typed client returns ({response, data, error}) or {status, body} of a fetch. */
export function expectStatus(result, status, what) {
  const actual = result.response?.status ?? result.status;
  if (actual !== status) {
    const body = result.error ?? result.data ?? result.body;
    throw new Error(`${what}: expected ${status}, got ${actual} ${show(body)}`);
  }
  return result.data ?? result.body;
}

export function expectThat(condition, message, value) {
  if (!condition) throw new Error(value === undefined ? message : `${message} (got ${show(value)})`);
}

/** A problem+json answer (RFC 9457) that names `field` in its `errors`, as SPEC's validation errors do. */
export function expectProblemNaming(result, status, field, what) {
  const problem = result.error ?? result.body;
  expectStatus(result, status, what);
  const type = result.response?.headers.get('content-type') ?? result.headers?.get('content-type');
  expectThat(type?.startsWith('application/problem+json'), `${what}: not application/problem+json`, type);
  const fields = (problem.errors ?? []).map((error) => error.field);
  expectThat(fields.includes(field), `${what}: the problem does not name ${field}`, problem);
  return problem;
}

/** Polls `read` until `done(value)` holds, or fails after `ms` with the last value. */
export async function eventually(read, done, { ms = 10_000, what = 'the condition' } = {}) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    last = await read();
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not hold within ${ms} ms (last: ${show(last)})`);
}
