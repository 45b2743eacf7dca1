import * as report from '../lib/report.mjs';
export async function gracefulRestarts() {
  report.begin('b', 'b-graceful');
}
