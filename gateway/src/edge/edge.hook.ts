import compress from '@fastify/compress';
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { GatewayConfig } from '../gateway.config';
import { COMPRESSION_THRESHOLD_BYTES } from '../routing/upstream-exchange.service';
import { guardPath } from './path-guard.hook';
import { responseHeaders } from './response-headers.hook';

// The API answers JSON only: its pages may do nothing. /docs sets its own.
const API_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
  },
};

/** Which browser pages may call the API (exactly `CORS_ORIGINS`), and what they may send and read. */
const corsPolicy = (config: GatewayConfig) => ({
  origin: config.CORS_ORIGINS.length > 0 ? config.CORS_ORIGINS : false,
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
  allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
  exposedHeaders: [
    'ETag',
    'Location',
    'Retry-After',
    'X-Request-Id',
    'X-RateLimit-Limit',
    'X-RateLimit-Remaining',
    'X-RateLimit-Reset',
  ],
  maxAge: 600,
});

/**
 * What every request of the public server goes through first, in this order:
 * the request id and security headers, CORS, the path guard; and the
 * compression of what is answered.
 */
export async function registerEdgeHooks(fastify: FastifyInstance, config: GatewayConfig): Promise<void> {
  fastify.decorateRequest('caller', null);
  fastify.addHook('onRequest', await responseHeaders({ contentSecurityPolicy: API_CSP }));
  await fastify.register(cors, corsPolicy(config));
  fastify.addHook('onRequest', guardPath);
  await fastify.register(compress, {
    globalCompression: true,
    threshold: COMPRESSION_THRESHOLD_BYTES,
    encodings: ['br', 'gzip'],
    // Request bodies go to the services as sent; inflating them here would change what they receive.
    globalDecompression: false,
  });
}
