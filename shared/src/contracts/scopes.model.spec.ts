import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { CUSTOMER_SCOPES, SCOPES } from './scopes.model';

const ROOT = resolve(__dirname, '../../..');

/**
 * The security suite (`npm run test:security`) attacks the system from outside, so it keeps
 * its own copy of SPEC's scopes instead of importing these. This keeps the two in step: a
 * scope added to one and not the other fails here, rather than going untried by the suite's
 * authorization matrix.
 */
describe("the security suite's copy of the scopes (security/lib/actors.mjs)", () => {
  it("holds every scope of the system, and a new customer's, as they are here", () => {
    const script = `
      const { ALL_SCOPES, CUSTOMER_SCOPES } = await import('./security/lib/actors.mjs');
      console.log(JSON.stringify({ all: ALL_SCOPES, customer: CUSTOMER_SCOPES }));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(child.error ?? child.stderr).toBeFalsy();
    expect(JSON.parse(child.stdout)).toEqual({ all: [...SCOPES], customer: [...CUSTOMER_SCOPES] });
  });
});
