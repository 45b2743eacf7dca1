import { canonicalJson, requestHash } from './request-hash.model';

describe('the request hash', () => {
  it('ignores key order and whitespace', () => {
    const a = JSON.parse('{"lines":[{"itemId":"x","quantity":2}]}');
    const b = JSON.parse('{ "lines" : [ { "quantity" : 2, "itemId" : "x" } ] }');
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(requestHash(a)).toBe(requestHash(b));
  });

  it('tells different bodies apart', () => {
    const one = { lines: [{ itemId: 'x', quantity: 1 }] };
    const two = { lines: [{ itemId: 'x', quantity: 2 }] };
    expect(requestHash(one)).not.toBe(requestHash(two));
    expect(requestHash(one)).toMatch(/^[0-9a-f]{64}$/);
  });
});
