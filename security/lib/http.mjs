// One HTTP call as the checks make it: a bounded wait, the body read whole, never a throw for a
// status; a connection refused or a timeout comes back as status 0 with the reason.
import { URLSearchParams } from 'node:url';

export async function call(
  origin,
  { method = 'GET', path, query, headers = {}, body, token, form, multipart, timeoutMs = 10_000 },
) {
  const target = new URL(path, origin);
  for (const [name, value] of Object.entries(query ?? {})) target.searchParams.append(name, String(value));
  const sent = { ...headers };
  if (token) sent.authorization = `Bearer ${token}`;
  let payload;
  if (multipart) payload = multipart;
  else if (form) payload = new URLSearchParams(form);
  else if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    sent['content-type'] ??= 'application/json';
  }
  try {
    const response = await fetch(target, {
      method,
      headers: sent,
      body: payload,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  } catch (error) {
    return { status: 0, error: error.cause?.code ?? error.name, text: '' };
  }
}
