// Imported first by main.ts: tracing must start before http, pg, ioredis and undici load.
import { startTracing } from '@shop/shared/tracing';

startTracing('orders');
