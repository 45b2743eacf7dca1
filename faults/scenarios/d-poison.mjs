import * as report from '../lib/report.mjs';
export async function poisonMessages() {
  report.begin('d', 'd-poison');
}
