// `--profile`: summarises V8 CPU profiles (node --cpu-prof) by where the code lives: a package
// under node_modules, the project's own code, Node's internals, or the engine (GC, idle).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function ownerOf(url, name) {
  if (!url) return name.startsWith('(') ? name : `(native) ${name || 'anonymous'}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  const own = /\/work\/main\/(shared|gateway|services\/[^/]+|bench)\//.exec(url);
  return own ? `project ${own[1]}` : url;
}

/** Share of the non-idle samples per owner, top `limit`, for each profile in `dir`. */
export function summariseProfiles(dir, limit = 12) {
  const summaries = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const counts = new Map();
    let total = 0;
    for (const id of profile.samples) {
      const { url, functionName } = byId.get(id).callFrame;
      const owner = ownerOf(url, functionName);
      if (owner === '(idle)') continue;
      counts.set(owner, (counts.get(owner) ?? 0) + 1);
      total++;
    }
    const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, limit);
    summaries.push({ file, total, top: top.map(([owner, n]) => [owner, (100 * n) / total]) });
  }
  return summaries;
}
