import { ConfigError } from './config.errors';
import { loadConfig } from './config.factory';
import { listenHost, serviceEnv } from './env-fields.config';

const DATABASE_URL = 'postgres://users_svc:secret@127.0.0.1:5432/shop';

describe('HOST', () => {
  it('is every interface unless set, as a container needs', () => {
    expect(loadConfig(serviceEnv, { DATABASE_URL }).HOST).toBe('0.0.0.0');
    expect(listenHost({})).toBe('0.0.0.0');
  });

  it.each(['127.0.0.1', '::1', '::', 'localhost'])('accepts %s', (host) => {
    expect(loadConfig(serviceEnv, { DATABASE_URL, HOST: host }).HOST).toBe(host);
    expect(listenHost({ HOST: host })).toBe(host);
  });

  it.each(['', 'local host', '127.0.0.1:8080', 'http://127.0.0.1'])(
    'refuses %j with one line naming the variable',
    (host) => {
      expect(() => loadConfig(serviceEnv, { DATABASE_URL, HOST: host })).toThrow(
        new ConfigError(
          'Invalid configuration: HOST: must be an IP address or a host name, such as 127.0.0.1. Set HOST and start again.',
        ),
      );
    },
  );
});
