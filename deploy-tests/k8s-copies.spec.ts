import { readText } from './support/repo';

/** Original → copy under k8s/ (see deploy/sync-k8s-copies.mjs, which refreshes them). */
const COPIES: Record<string, string> = {
  'scripts/db/bootstrap.sh': 'k8s/infra/postgres/initdb/bootstrap.sh',
  'scripts/db/bootstrap.sql': 'k8s/infra/postgres/initdb/bootstrap.sql',
  'scripts/broker/definitions.json': 'k8s/infra/rabbitmq/definitions.json',
};

describe('the files k8s/ keeps copies of (kustomize reads nothing outside k8s/)', () => {
  it('are listed the same way in the sync script', () => {
    const script = readText('deploy/sync-k8s-copies.mjs');
    for (const [original, copy] of Object.entries(COPIES))
      expect(script).toContain(`'${original}': '${copy}'`);
  });

  it.each(Object.entries(COPIES))(
    '%s is copied unchanged to %s (else: node deploy/sync-k8s-copies.mjs)',
    (original, copy) => {
      expect(readText(copy) === readText(original)).toBe(true);
    },
  );

  it('cover every file the database bootstrap is made of', () => {
    const bootstrap = readText('scripts/db/bootstrap.sh');
    expect(bootstrap).toContain('bootstrap.sql');
    expect(Object.keys(COPIES).filter((file) => file.startsWith('scripts/db/'))).toEqual([
      'scripts/db/bootstrap.sh',
      'scripts/db/bootstrap.sql',
    ]);
  });
});
