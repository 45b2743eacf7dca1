// The contract suites check the whole system, so they read the services' and the
// gateway's code from their source files (packages never import one another at run
// time; a computed path keeps this a test's business): producers, subscriptions.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import type { EventType } from '../src/events/contracts';

export const ROOT = join(__dirname, '../..');

/** Loads a module of another package by its path from the repository root (`services/items/src/…`). */
export async function loadFromRepo<T>(path: string): Promise<T> {
  return (await import(join(ROOT, path))) as T;
}

const stringsIn = (node: ts.Node): string[] => {
  const found: string[] = [];
  const visit = (child: ts.Node) => {
    if (ts.isPropertyAssignment(child) && ts.isStringLiteral(child.name)) found.push(child.name.text);
    else if (ts.isArrayLiteralExpression(child)) {
      for (const element of child.elements) if (ts.isStringLiteral(element)) found.push(element.text);
    } else ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
};

/**
 * Every receiver of events and the types it subscribes to, read from the code:
 * the keys of `defineSubscriptions({...})` in each service's
 * `src/events/<service>.subscriptions.ts`, and the gateway's GATEWAY_SUBSCRIPTIONS.
 */
export function subscriptionsInCode(): Record<string, EventType[]> {
  const files: Record<string, string> = { gateway: 'gateway/src/events/gateway.subscriptions.ts' };
  for (const service of readdirSync(join(ROOT, 'services'))) {
    const file = `services/${service}/src/events/${service}.subscriptions.ts`;
    try {
      readFileSync(join(ROOT, file));
      files[service] = file;
    } catch {
      // A service that subscribes to nothing has no subscriptions file.
    }
  }
  return Object.fromEntries(
    Object.entries(files).map(([receiver, file]) => {
      const source = ts.createSourceFile(
        file,
        readFileSync(join(ROOT, file), 'utf8'),
        ts.ScriptTarget.ES2023,
      );
      return [receiver, stringsIn(source).sort() as EventType[]];
    }),
  );
}
