// `npm run check:shape` (also the last step of `npm run lint`): two gates that keep the code's shape from drifting back.
//
// 1. Every runtime name the root of @shop/shared exports is imported by at least one source
//    file of a service or the gateway. Wiring internals are reached through the modules that
//    wire them, test helpers through @shop/shared/testing; a name nobody imports does not
//    belong on the package's front.
// 2. No source file is longer than 150 lines, except those in the allow-list below (at most
//    two), each with the reason it is one idea however long.
// 3. Every file of src/ and test/ has a role from the closed set (scripts/lib/file-roles.mjs),
//    its classes are named after it, unit specs sit beside their files and integration specs
//    (`*.e2e-spec.ts`) under test/.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { ENTRY_POINTS, misnamedClasses, roleOf, ROLES } from './lib/file-roles.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const PACKAGES = [
  'shared',
  'services/users',
  'services/items',
  'services/orders',
  'services/inventory',
  'gateway',
];
const CONSUMERS = PACKAGES.filter((dir) => dir !== 'shared');
const MAX_LINES = 150;
const LONG_FILES = {
  // path: why it is one idea however long
};

const sourceFiles = (dir) =>
  readdirSync(join(ROOT, dir, 'src'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
    .map((entry) => join(entry.parentPath, entry.name));

/** The runtime (value) names exported by shared/src/index.ts, types and interfaces left out. */
function rootExports() {
  const entry = join(ROOT, 'shared/src/index.ts');
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext,
    target: ts.ScriptTarget.ES2023,
  });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry));
  return checker
    .getExportsOfModule(module)
    .filter((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return (target.flags & ts.SymbolFlags.Value) !== 0;
    })
    .map((symbol) => symbol.name);
}

/** Every name a file imports from the root of @shop/shared. */
function namesImported(file) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2023);
  const names = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || statement.moduleSpecifier.text !== '@shop/shared') continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) names.push((element.propertyName ?? element.name).text);
    }
  }
  return names;
}

const failures = [];

const used = new Set(CONSUMERS.flatMap(sourceFiles).flatMap(namesImported));
const unused = rootExports().filter((name) => !used.has(name));
if (unused.length > 0) {
  failures.push(
    `@shop/shared exports ${unused.length} runtime name(s) at its root that no service or gateway source imports:\n` +
      unused.map((name) => `  ${name}`).join('\n') +
      '\n  Stop exporting them from shared/src/index.ts (reach them through the module that wires them, or @shop/shared/testing).',
  );
}

const tooLong = PACKAGES.flatMap(sourceFiles)
  .map((file) => ({ file: relative(ROOT, file), lines: readFileSync(file, 'utf8').split('\n').length - 1 }))
  .filter(({ file, lines }) => lines > MAX_LINES && !(file in LONG_FILES));
if (tooLong.length > 0) {
  failures.push(
    `${tooLong.length} source file(s) over ${MAX_LINES} lines:\n` +
      tooLong.map(({ file, lines }) => `  ${file}: ${lines}`).join('\n') +
      '\n  Split each into files that hold one idea (or, for at most two, give the reason in LONG_FILES in scripts/check-shape.mjs).',
  );
}
const everyFile = PACKAGES.flatMap((dir) =>
  ['src', 'test'].flatMap((sub) =>
    readdirSync(join(ROOT, dir, sub), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) => relative(ROOT, join(entry.parentPath, entry.name))),
  ),
);
const roleProblems = everyFile.flatMap((file) => {
  const parsed = roleOf(file);
  if (!parsed) return ENTRY_POINTS.has(file.split('/').pop()) ? [] : [`${file}: no role`];
  if (!ROLES.has(parsed.role)) return [`${file}: "${parsed.role}" is not a role`];
  const inTest = file.includes('/test/');
  if (parsed.role === 'e2e-spec' && !inTest) return [`${file}: an integration spec belongs under test/`];
  if (parsed.role === 'spec' && inTest)
    return [`${file}: a unit spec sits beside its file in src/ (or is an e2e-spec)`];
  return misnamedClasses(file).map((cls) => `${file}: class ${cls} is not named after its file`);
});
if (roleProblems.length > 0) {
  failures.push(
    `${roleProblems.length} file name(s) off the closed set of roles:\n` +
      roleProblems.map((problem) => `  ${problem}`).join('\n') +
      '\n  Name files kebab-name.role.ts with a role from scripts/lib/file-roles.mjs (docs/architecture.md lists them).',
  );
}

if (Object.keys(LONG_FILES).length > 2) failures.push('LONG_FILES may hold at most two files.');

if (failures.length > 0) {
  console.error(failures.join('\n\n'));
  process.exit(1);
}
console.log(
  `Shape: every root export of @shop/shared is used; no source file over ${MAX_LINES} lines (${Object.keys(LONG_FILES).length} allowed); ${everyFile.length} files, each with one of ${ROLES.size} roles.`,
);
