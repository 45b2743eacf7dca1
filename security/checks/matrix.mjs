// The authorization matrix: every documented operation × anonymous, the owning customer,
// another customer, a token missing the operation's scope and the admin, through the gateway
// and directly at the service, against what SPEC says each may do.
import { adminLogin, ALL_SCOPES, CUSTOMER_SCOPES, newWorld } from '../lib/actors.mjs';
import { call } from '../lib/http.mjs';
import { label } from '../lib/operations.mjs';
import { fail, figures, progress } from '../lib/results.mjs';
import { sampleRequest } from '../lib/samples.mjs';
import { GATEWAY, ORIGINS } from '../lib/system.mjs';

const ROLES = ['anonymous', 'owner', 'other customer', 'missing scope', 'admin'];

/** What SPEC expects: 'allow', a list of acceptable refusals, or null (the role does not apply). */
function expected(op, role) {
  const customerLacks = op.needs && !CUSTOMER_SCOPES.includes(op.needs);
  switch (role) {
    case 'anonymous':
      return op.access === 'public' ? 'allow' : [401];
    case 'missing scope':
      return op.needs ? [403] : null;
    case 'admin':
      return 'allow';
    case 'owner':
      return customerLacks ? [403] : 'allow';
    case 'other customer':
      if (customerLacks) return [403];
      // SPEC: another user's order is a 404; another user's account is refused (403 or 404).
      if (op.owned === 'order') return [404];
      if (op.owned === 'user') return [403, 404];
      return 'allow';
  }
}

function judge(op, expectation, status) {
  if (status === 0 || status >= 500) return false;
  if (expectation === 'allow') return ![401, 403].includes(status) && !(op.owned && status === 404);
  return expectation.includes(status);
}

export async function authorizationMatrix({ operations }) {
  const admin = (await adminLogin()).access_token;
  const missing = new Map();
  const tokenLacking = async (scope) => {
    if (!missing.has(scope))
      missing.set(scope, (await adminLogin(ALL_SCOPES.filter((s) => s !== scope).join(' '))).access_token);
    return missing.get(scope);
  };
  const shared = await newWorld(admin);
  let checked = 0;
  let mismatches = 0;
  for (const op of operations) {
    for (const problem of op.problems) fail('matrix', `${label(op)}: ${problem}`);
    const destructive = op.method === 'DELETE' || op.path.endsWith('/cancel');
    for (const role of ROLES) {
      const expectation = expected(op, role);
      if (expectation === null) continue;
      for (const [where, origin] of [
        ['gateway', GATEWAY],
        [op.service, ORIGINS[op.service]],
      ]) {
        const world = destructive && expectation === 'allow' ? await newWorld(admin) : shared;
        const token = {
          anonymous: undefined,
          owner: world.owner.token,
          'other customer': world.other.token,
          'missing scope': op.needs && (await tokenLacking(op.needs)),
          admin,
        }[role];
        const answer = await call(origin, { method: op.method, token, ...sampleRequest(op, world) });
        checked++;
        if (!judge(op, expectation, answer.status)) {
          mismatches++;
          const wanted = expectation === 'allow' ? 'allowed' : expectation.join(' or ');
          fail(
            'matrix',
            `${label(op)} as ${role} via ${where}: ${answer.status || answer.error}, SPEC: ${wanted}`,
          );
        }
      }
    }
  }
  figures.matrix = `${operations.length} operations × ${ROLES.length} roles × 2 targets: ${checked} requests, ${mismatches} mismatches`;
  progress(figures.matrix);
}
