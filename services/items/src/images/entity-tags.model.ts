/** A strong entity tag for content with this SHA-256 digest. */
export const entityTagOf = (sha256: string) => `"${sha256}"`;

/**
 * The opaque tags of an If-None-Match header, unquoted, weak ones included
 * (RFC 9110 §13.1.2 compares them weakly); `*` stands for any.
 */
export function entityTagsIn(ifNoneMatch: string | undefined): string[] {
  if (!ifNoneMatch) return [];
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .map((tag) => (tag === '*' ? tag : /^"([^"]*)"$/.exec(tag)?.[1]))
    .filter((tag): tag is string => Boolean(tag));
}
