import type { AccessTokenClaims, AccessTokenVerifierService } from '@shop/shared';
import { EdgeTokenStore } from './edge-token.store';

describe('EdgeTokens', () => {
  const nowSec = () => Math.floor(Date.now() / 1000);
  const claimsFor = (overrides: Partial<AccessTokenClaims> = {}): AccessTokenClaims => ({
    sub: 'user-1',
    scopes: ['items:read'],
    jti: 'jti-1',
    iat: nowSec() - 1,
    exp: nowSec() + 600,
    ...overrides,
  });
  const verifierOf = (claims: AccessTokenClaims) => {
    const verify = jest.fn(async () => claims);
    return { verifier: { verify } as unknown as AccessTokenVerifierService, verify };
  };

  it('knows a token once verified, without asking the verifier again', async () => {
    const claims = claimsFor();
    const { verifier, verify } = verifierOf(claims);
    const tokens = new EdgeTokenStore(verifier, () => false);
    expect(tokens.known('t')).toBeUndefined();
    await tokens.verify('t');
    expect(tokens.known('t')).toBe(claims);
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('forgets a token whose user is denied since, so the verifier refuses it', async () => {
    let denied = false;
    const tokens = new EdgeTokenStore(verifierOf(claimsFor()).verifier, () => denied);
    await tokens.verify('t');
    denied = true;
    expect(tokens.known('t')).toBeUndefined();
    denied = false;
    expect(tokens.known('t')).toBeUndefined(); // gone: the next use is verified again
  });

  it('forgets a token at its expiry, and at most 15 minutes after it was issued', async () => {
    const expired = new EdgeTokenStore(verifierOf(claimsFor({ exp: nowSec() - 1 })).verifier, () => false);
    await expired.verify('t');
    expect(expired.known('t')).toBeUndefined();
    const old = new EdgeTokenStore(
      verifierOf(claimsFor({ iat: nowSec() - 901, exp: nowSec() + 600 })).verifier,
      () => false,
    );
    await old.verify('t');
    expect(old.known('t')).toBeUndefined();
  });
});
