import * as report from '../lib/report.mjs';
export async function chaos() {
  report.begin('a', 'a-chaos');
}
