import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config.errors';
import { loadConfig } from './config.factory';
import { readEnvFile } from './env-file.factory';
import { serviceEnv } from './env-fields.config';

const DATABASE_URL = 'postgres://users_svc:secret@127.0.0.1:5432/shop';

describe('settings from a .env file', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'shop-env-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const envFile = (text: string) => {
    writeFileSync(join(dir, '.env'), text);
    return readEnvFile(dir);
  };

  it('reads KEY=value lines with quotes, comments and export, as Node’s parser does', () => {
    const file = envFile(
      `# local settings\nexport PORT=4000\nLOG_LEVEL="debug"\nDATABASE_URL='${DATABASE_URL}'\n`,
    );
    expect(file).toEqual({
      path: join(dir, '.env'),
      values: { PORT: '4000', LOG_LEVEL: 'debug', DATABASE_URL },
    });
    expect(loadConfig(serviceEnv, {}, file)).toMatchObject({ PORT: 4000, LOG_LEVEL: 'debug', DATABASE_URL });
  });

  it('is no file and no error when there is none', () => {
    expect(readEnvFile(dir)).toBeUndefined();
    expect(loadConfig(serviceEnv, { DATABASE_URL }, undefined).PORT).toBe(3000);
  });

  it('lets a variable of the environment win over the file, even an empty one', () => {
    const file = envFile(
      `PORT=4000\nLOG_LEVEL=debug\nDATABASE_URL=${DATABASE_URL}\nREDIS_KEY_PREFIX=file:\n`,
    );
    const config = loadConfig(serviceEnv, { PORT: '5000' }, file);
    expect(config).toMatchObject({ PORT: 5000, LOG_LEVEL: 'debug', REDIS_KEY_PREFIX: 'file:' });
    // Set but empty is set: the file's value does not fill it in, and the schema refuses it.
    expect(() => loadConfig(serviceEnv, { REDIS_KEY_PREFIX: '' }, file)).toThrow(
      /^Invalid configuration: REDIS_KEY_PREFIX: /,
    );
  });

  it('refuses a bad value in the file as in the environment, naming the variable and the file', () => {
    const file = envFile(`PORT=eighty\nDATABASE_URL=${DATABASE_URL}\n`);
    expect(() => loadConfig(serviceEnv, {}, file)).toThrow(ConfigError);
    expect(() => loadConfig(serviceEnv, {}, file)).toThrow(
      `Invalid configuration: PORT (from ${join(dir, '.env')}): `,
    );
    expect(() => loadConfig(serviceEnv, { PORT: 'eighty', DATABASE_URL })).toThrow(
      /^Invalid configuration: PORT: .*Set PORT and start again\.$/,
    );
    // The environment's bad value is the environment's, not the file's.
    expect(() => loadConfig(serviceEnv, { PORT: 'ninety' }, file)).toThrow(
      /^Invalid configuration: PORT: .*Set PORT and start again\.$/,
    );
    // A good value in the environment overrides the file's bad one.
    expect(loadConfig(serviceEnv, { PORT: '8000' }, file).PORT).toBe(8000);
  });

  it('names the file it cannot read', () => {
    // A directory where the file should be: unreadable for root too.
    mkdirSync(join(dir, '.env'));
    expect(() => readEnvFile(dir)).toThrow(`Cannot read ${join(dir, '.env')}: EISDIR`);
  });
});
