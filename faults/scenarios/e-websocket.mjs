import * as report from '../lib/report.mjs';
export async function websocketCatchUp() {
  report.begin('e', 'e-websocket');
}
