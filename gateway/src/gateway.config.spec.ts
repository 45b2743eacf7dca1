import { ConfigError } from '@shop/shared/testing';
import { loadGatewayConfig } from './gateway.config';

describe('loadGatewayConfig', () => {
  it('defaults to the ports, upstreams and limits of the SPEC', () => {
    expect(loadGatewayConfig({})).toMatchObject({
      PORT: 8080,
      ADMIN_PORT: 8081,
      USERS_URL: 'http://127.0.0.1:3001',
      ITEMS_URL: 'http://127.0.0.1:3002',
      ORDERS_URL: 'http://127.0.0.1:3003',
      INVENTORY_URL: 'http://127.0.0.1:3004',
      REDIS_URL: 'redis://127.0.0.1:6379',
      RATE_LIMIT_PER_MINUTE: 1200,
      LOGIN_RATE_LIMIT_PER_MINUTE: 10,
      CORS_ORIGINS: [],
      UPSTREAM_TIMEOUT: 10_000,
      TRUST_PROXY: 0,
    });
  });

  it('reads the CORS allow-list as a comma-separated list of origins', () => {
    const config = loadGatewayConfig({ CORS_ORIGINS: 'https://shop.example, http://localhost:5173' });
    expect(config.CORS_ORIGINS).toEqual(['https://shop.example', 'http://localhost:5173']);
  });

  it.each(['*', 'https://shop.example/', 'shop.example', 'https://*.example.com'])(
    'refuses %s as a CORS origin, naming the variable',
    (value) => {
      expect(() => loadGatewayConfig({ CORS_ORIGINS: value })).toThrow(ConfigError);
      expect(() => loadGatewayConfig({ CORS_ORIGINS: value })).toThrow(/CORS_ORIGINS/);
    },
  );

  it('refuses a rate limit that is not a positive whole number', () => {
    expect(() => loadGatewayConfig({ RATE_LIMIT_PER_MINUTE: '0' })).toThrow(/RATE_LIMIT_PER_MINUTE/);
    expect(() => loadGatewayConfig({ LOGIN_RATE_LIMIT_PER_MINUTE: 'ten' })).toThrow(
      /LOGIN_RATE_LIMIT_PER_MINUTE/,
    );
  });
});
