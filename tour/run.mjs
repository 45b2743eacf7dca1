// `npm run tour`: the walkthrough's commands, in its order, against a running system
// (`npm start`, or the images: tour/images.sh). Each step uses the typed client
// (@shop/client), checks what came back and prints one line; the last line is
// "N passed, N failed" and the exit code is 1 if any step failed.
//
//   TOUR_URL=http://127.0.0.1:8080  the gateway (default)
//   TOUR_ONLY=orders                run only the steps whose file name contains this
import { readdirSync } from 'node:fs';
import { style } from '../scripts/lib/run.mjs';
import { BASE_URL } from './lib/system.mjs';

const STEPS_DIR = new URL('./steps/', import.meta.url);
const files = readdirSync(STEPS_DIR)
  .filter((file) => file.endsWith('.mjs'))
  .filter((file) => !process.env.TOUR_ONLY || file.includes(process.env.TOUR_ONLY))
  .sort();

console.log(style('bold', `Touring ${BASE_URL} (docs/walkthrough.md, ${files.length} steps)`));
const reachable = await fetch(`${BASE_URL}/health/ready`).catch((error) => error);
if (reachable instanceof Error) {
  console.error(
    `Nothing answers at ${BASE_URL}: start the system (npm start) or set TOUR_URL, then run the tour again.`,
  );
  process.exit(1);
}

// What steps hand on to later ones (the admin's client, the customer, the item…).
const tour = { cleanups: [] };
let passed = 0;
let failed = 0;
for (const file of files) {
  const { section, title, run } = await import(new URL(file, STEPS_DIR));
  const started = Date.now();
  try {
    const saw = await run(tour);
    passed += 1;
    console.log(
      `${style('green', '✔')} §${section} ${title}: ${saw} ${style('dim', `(${Date.now() - started} ms)`)}`,
    );
  } catch (error) {
    failed += 1;
    console.log(`${style('red', '✖')} §${section} ${title}: ${style('red', error.message)}`);
  }
}
for (const cleanup of tour.cleanups.reverse()) await cleanup().catch(() => {});

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
