import { serviceEnv } from '../config/env-fields.config';
import { loadConfig } from '../config/config.factory';
import { serviceOptions } from './service.options';

describe('serviceOptions', () => {
  it('takes every platform setting from the config', () => {
    const config = loadConfig(serviceEnv, {
      DATABASE_URL: 'postgres://users_svc:secret@127.0.0.1:5432/shop',
      PORT: '4100',
      HOST: '::1',
      LOG_LEVEL: 'warn',
      BODY_LIMIT_BYTES: '4096',
      SHUTDOWN_DELAY: '5s',
    });
    expect(serviceOptions('things', config)).toEqual({
      name: 'things',
      port: 4100,
      host: '::1',
      logLevel: 'warn',
      bodyLimitBytes: 4096,
      shutdownDelayMs: 5000,
    });
  });
});
