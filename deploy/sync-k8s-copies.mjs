// Kustomize reads no file outside the folder it builds (k8s/), so the few
// files Kubernetes shares with the rest of the repo are kept there as exact
// copies. This refreshes them; deploy-tests/k8s-copies.spec.ts fails while
// any differs from its original.
//
//   node deploy/sync-k8s-copies.mjs
import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Original (repo-relative) → copy under k8s/. */
export const K8S_COPIES = {
  'scripts/db/bootstrap.sh': 'k8s/infra/postgres/initdb/bootstrap.sh',
  'scripts/db/bootstrap.sql': 'k8s/infra/postgres/initdb/bootstrap.sql',
  'scripts/broker/definitions.json': 'k8s/infra/rabbitmq/definitions.json',
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  for (const [original, copy] of Object.entries(K8S_COPIES)) {
    copyFileSync(root + original, root + copy);
    console.log(`${original} → ${copy}`);
  }
}
