// A Jest reporter that ends the run with every test it skipped and the
// reason that test gives: a skipped check is a check that did not happen,
// and why belongs in the result. The reason is the test's own (deploy-tests'
// itWhen() puts it in the name: "… (skipped: kubectl is not installed)"), so
// this file knows no test by name.
import { relative } from 'node:path';

const REASON = /\s*\(skipped: (.+)\)$/;

export default class SkipReasonsReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    // Tests left out by `-t pattern` are reported as skipped too; they are the caller's choice.
    this.filtered = Boolean(globalConfig.testNamePattern);
  }

  onRunComplete(_contexts, results) {
    if (this.filtered) return;
    const skipped = results.testResults.flatMap((file) =>
      file.testResults
        .filter((test) => ['pending', 'skipped', 'todo'].includes(test.status))
        .map((test) => ({ file: relative(this.rootDir, file.testFilePath), name: test.fullName })),
    );
    if (skipped.length === 0) return;
    const lines = skipped.map(({ file, name }) => {
      const reason = REASON.exec(name)?.[1] ?? 'the test gives no reason';
      return `  ${file}: ${name.replace(REASON, '')}\n      why: ${reason}`;
    });
    process.stderr.write(`\n${skipped.length} skipped, and why:\n${lines.join('\n')}\n\n`);
  }
}
