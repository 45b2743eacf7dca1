import * as report from '../lib/report.mjs';
export async function relayKills() {
  report.begin('c', 'c-relay');
}
