// The yardstick for the items service: a plain Fastify + pg + ioredis handler doing the same
// read as GET /api/v1/items/{id} — verify the bearer token (EdDSA/ES256 against the users
// service's JWKS, iss, aud, typ, exp; verified tokens cached until they expire), require
// `items:read`, read-through Redis (GET, on a miss SELECT then SET with a TTL), serialise to
// the same JSON. What it leaves out on purpose: Nest, the access log line, request ids,
// security headers, metrics, problem+json bodies and the versioned cache script.
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import pg from 'pg';

const env = process.env;
const port = Number(env.PORT ?? 4195);
const prefix = env.REDIS_KEY_PREFIX ?? 'bench:baseline:';
const ttlMs = Number(env.ITEM_CACHE_TTL_MS ?? 60_000);
const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 10 });
const redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const keys = createRemoteJWKSet(new URL('/.well-known/jwks.json', env.USERS_URL));
const verified = new Map(); // token → { exp, scopes }
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function scopesOf(header) {
  const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
  if (!token) return undefined;
  const now = Date.now() / 1000;
  const hit = verified.get(token);
  if (hit && hit.exp > now) return hit.scopes;
  try {
    const { payload } = await jwtVerify(token, keys, {
      algorithms: ['EdDSA', 'ES256'],
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      typ: 'at+jwt',
    });
    const entry = { exp: payload.exp, scopes: new Set(String(payload.scope ?? '').split(' ')) };
    verified.set(token, entry);
    return entry.scopes;
  } catch {
    return undefined;
  }
}

const toJson = (row) => ({
  id: row.id,
  name: row.name,
  description: row.description,
  price: row.price,
  tax: row.tax,
  ownerId: row.owner_id,
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
});

const app = Fastify({ logger: false });
app.get('/health/ready', async () => ({ status: 'ok' }));
app.get('/api/v1/items/:id', async (request, reply) => {
  const scopes = await scopesOf(request.headers.authorization);
  if (!scopes) return reply.code(401).header('www-authenticate', 'Bearer').send({ status: 401 });
  if (!scopes.has('items:read')) return reply.code(403).send({ status: 403 });
  const { id } = request.params;
  if (!UUID.test(id)) return reply.code(400).send({ status: 400 });
  const key = `${prefix}item:${id}`;
  const cached = await redis.get(key);
  if (cached) return JSON.parse(cached); // parsed and serialised again, as items does
  const { rows } = await pool.query(
    'SELECT id, name, description, price, tax, owner_id, created_at, updated_at FROM items.items WHERE id = $1',
    [id],
  );
  if (!rows.length) return reply.code(404).send({ status: 404 });
  const item = toJson(rows[0]);
  await redis.set(key, JSON.stringify(item), 'PX', ttlMs);
  return item;
});

await app.listen({ host: '127.0.0.1', port });
const stop = async () => {
  await app.close();
  await Promise.allSettled([pool.end(), redis.quit()]);
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
