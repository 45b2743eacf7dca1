import type { DomainError } from '../errors/domain.errors';
import { InvalidTokenError } from './auth.errors';
import {
  bearerToken,
  insufficientScopeChallenge,
  invalidTokenChallenge,
  missingTokenChallenge,
} from './bearer.errors';

const wwwAuthenticate = (error: DomainError) => error.headers['WWW-Authenticate'];

describe('bearerToken', () => {
  it.each([
    ['Bearer abc.DEF-_~+/', 'abc.DEF-_~+/'],
    ['bearer abc', 'abc'],
    ['BEARER   abc==  ', 'abc=='],
  ])('reads the token of %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it.each([
    undefined,
    '',
    'Bearer',
    'Bearer ',
    'Basic dXNlcjpwYXNz',
    'Bearer a b',
    'Bearer a=b',
    'Bearer ab;c',
    ['Bearer a', 'Bearer b'],
  ])('finds no token in %j', (header) => {
    expect(bearerToken(header)).toBeUndefined();
  });
});

describe('the challenges', () => {
  it('answers a missing token with 401 and a bare Bearer challenge', () => {
    const exception = missingTokenChallenge();
    expect(exception.status).toBe(401);
    expect(exception.code).toBe('AUTH.TOKEN_MISSING');
    expect(missingTokenChallenge('GATEWAY.TOKEN_MISSING').code).toBe('GATEWAY.TOKEN_MISSING');
    expect(exception.message).toBe('A bearer access token is required.');
    expect(wwwAuthenticate(exception)).toBe('Bearer');
  });

  it('answers a refused token with 401 invalid_token and the reason, never the token', () => {
    const exception = invalidTokenChallenge(new InvalidTokenError('expired'));
    expect(exception.status).toBe(401);
    expect(exception.code).toBe('AUTH.TOKEN_INVALID');
    expect(exception.message).toBe('The access token is invalid (expired).');
    expect(wwwAuthenticate(exception)).toBe('Bearer error="invalid_token", error_description="expired"');
  });

  it('answers missing scopes with 403 insufficient_scope listing every scope the route needs', () => {
    const one = insufficientScopeChallenge(['items:write']);
    expect(one.status).toBe(403);
    expect(one.code).toBe('AUTH.SCOPE_MISSING');
    expect(one.message).toBe('This needs the scope items:write.');
    expect(wwwAuthenticate(one)).toBe('Bearer error="insufficient_scope", scope="items:write"');

    const two = insufficientScopeChallenge(['items:read', 'items:write']);
    expect(two.message).toBe('This needs the scopes: items:read items:write.');
    expect(wwwAuthenticate(two)).toBe('Bearer error="insufficient_scope", scope="items:read items:write"');
  });
});
