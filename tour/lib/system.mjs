// Where the tour and the demo find the running system, and how they log in.
// The admin login is the one `npm start` prints (scripts/lib/system.mjs), so a
// system started with ADMIN_USERNAME / ADMIN_PASSWORD is toured with the same.
import { adminCredentials } from '../../scripts/lib/system.mjs';

// The typed client is built from the services' OpenAPI documents (npm run build); say so if it is not.
const { createShopClient, logIn } = await import('@shop/client').catch((error) => {
  console.error(
    `The typed client (@shop/client) cannot be loaded: ${error.message}\nBuild it (npm run build), then try again.`,
  );
  process.exit(1);
});

/** The gateway; TOUR_URL points the tour elsewhere (e.g. the images on the host network). */
export const BASE_URL = (process.env.TOUR_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
/** The users service itself, for the one step that watches its event loop (not the gateway's). */
export const USERS_URL = (process.env.TOUR_USERS_URL || 'http://127.0.0.1:3001').replace(/\/$/, '');
/** The gateway's admin port, where its /metrics lives (never on the public port). */
export const ADMIN_URL = (process.env.TOUR_ADMIN_URL || 'http://127.0.0.1:8081').replace(/\/$/, '');

/** A user the tour can act as: its login, its token and a typed client that sends it. */
export async function signIn(credentials) {
  const tokens = await logIn(BASE_URL, credentials);
  return {
    username: credentials.username,
    tokens,
    api: createShopClient({ baseUrl: BASE_URL, token: tokens.access_token }),
  };
}

export const signInAdmin = () => {
  const { username, password } = adminCredentials();
  return signIn({ username, password });
};

/** A client without a token: only the public routes answer it. */
export const anonymous = () => createShopClient({ baseUrl: BASE_URL });

/** A name no earlier run has used (alphanumeric, as registration requires). */
export const freshName = (prefix) => `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

/** A password that passes the registration rules (8+, a digit, an uppercase letter). */
export const PASSWORD = 'Tour1234pass';

/** Registers a customer and logs in as them. */
export async function newCustomer(prefix = 'tour') {
  const username = freshName(prefix);
  const { response, error } = await anonymous().users.POST('/api/v1/users', {
    body: { username, email: `${username}@example.com`, password: PASSWORD },
  });
  if (response.status !== 201)
    throw new Error(`registering ${username}: ${response.status} ${JSON.stringify(error)}`);
  return signIn({ username, password: PASSWORD });
}

/** Plain fetch against the gateway, for what the client does not describe (health, docs, /ws/tickets). */
export async function get(path, { base = BASE_URL, headers = {} } = {}) {
  const response = await fetch(`${base}${path}`, { headers });
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, body };
}
