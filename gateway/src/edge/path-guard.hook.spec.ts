import { judgePath } from './path-guard.hook';

describe('judgePath', () => {
  it.each([
    '/api/v1/items',
    '/api/v1/items/',
    '/api/v1/items/8c5f0e1e-6a6b-4c8e-9a57-0d4e2f0d1c11/image',
    '/api/v1/items/v1.2..3',
    '/api/v1/items/.well',
    '/api/v1/items?q=..%2F..%2Fmetrics',
    '/api/v1/items?next=//evil',
    '/api/v1/metricsreport',
    '/api/v1/users/internally',
    '/.well-known/jwks.json',
  ])('lets %s through', (url) => {
    expect(judgePath(url)).toBe('ok');
  });

  it.each([
    '/api/v1/items/../../metrics',
    '/api/v1/items/..',
    '/api/v1/items/.',
    '/api/v1/items/./1',
    '/api/v1/items/..;/metrics',
    '/api/v1/items/%2e%2e/metrics',
    '/api/v1/items/%2E%2e/metrics',
    '/api/v1/items/.%2e/metrics',
    '/api/v1/items%2fmetrics',
    '/api/v1/items%2Fmetrics',
    '/api/v1/items/%5cmetrics',
    '/api/v1/items/%252e%252e/metrics',
    '/api/v1/items/%25252f',
    '/api/v1/items\\..\\metrics',
    '//metrics',
    '/api//v1/items',
    '/api/v1/items//',
    'http://gateway.test/metrics',
    '*',
    '',
  ])('calls %s ambiguous', (url) => {
    expect(judgePath(url)).toBe('ambiguous');
  });

  it.each([
    '/metrics',
    '/metrics/',
    '/Metrics',
    '/metrics;jsessionid=1',
    '/internal',
    '/internal/x',
    '/api/v1/users/internal/x',
    '/api/v1/items/1/METRICS?x=1',
  ])('calls %s hidden', (url) => {
    expect(judgePath(url)).toBe('hidden');
  });
});
