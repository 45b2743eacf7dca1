import { entityTagOf, entityTagsIn } from './entity-tags.model';

describe('entity tags', () => {
  it('quotes a digest as a strong tag', () => {
    expect(entityTagOf('ab12')).toBe('"ab12"');
  });

  it('reads every tag of an If-None-Match list, weak ones included', () => {
    expect(entityTagsIn('"a", W/"b" ,"c"')).toEqual(['a', 'b', 'c']);
  });

  it('keeps the wildcard and drops malformed tags', () => {
    expect(entityTagsIn('*')).toEqual(['*']);
    expect(entityTagsIn('abc, "ok", "unterminated')).toEqual(['ok']);
    expect(entityTagsIn(undefined)).toEqual([]);
  });
});
