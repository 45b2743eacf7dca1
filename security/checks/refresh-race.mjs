// Two concurrent refreshes of one refresh token. SPEC and docs/architecture.md: rotation, and
// a spent token presented again revokes its whole family; refresh-tokens.repository.ts: the
// loser of the race "is treated as reuse"; RFC 9700 §4.14.2: on replay of a rotated token,
// the server revokes the family, the legitimate client's new token included. So: at most one
// of the two succeeds, and the token it got is then refused as well.
import { newCustomer } from '../lib/actors.mjs';
import { call } from '../lib/http.mjs';
import { fail, figures, progress } from '../lib/results.mjs';
import { GATEWAY, ORIGINS } from '../lib/system.mjs';

const RACES = 5;
const refresh = (origin, token) =>
  call(origin, {
    method: 'POST',
    path: '/auth/token',
    form: { grant_type: 'refresh_token', refresh_token: token },
  });

export async function refreshRace() {
  const outcomes = { bothWon: 0, survivorRevoked: 0, survivorLives: 0, noneWon: 0 };
  for (let race = 0; race < RACES; race++) {
    const customer = await newCustomer();
    // One through the gateway, one direct: two replicas' worth of paths to the same table.
    const answers = await Promise.all([
      refresh(GATEWAY, customer.refresh),
      refresh(ORIGINS.users, customer.refresh),
    ]);
    const winners = answers.filter((a) => a.status === 200);
    for (const loser of answers.filter((a) => a.status !== 200))
      if (loser.status !== 400 || loser.json?.error !== 'invalid_grant')
        fail(
          'refresh race',
          `race ${race + 1}: the loser got ${loser.status} ${loser.text}, not invalid_grant`,
        );
    if (winners.length === 2) {
      outcomes.bothWon++;
      fail('refresh race', `race ${race + 1}: both refreshes succeeded`);
      continue;
    }
    if (winners.length === 0) {
      outcomes.noneWon++;
      continue;
    }
    const survivor = await refresh(ORIGINS.users, winners[0].json.refresh_token);
    if (survivor.status === 200) {
      outcomes.survivorLives++;
      fail('refresh race', `race ${race + 1}: the winner's new refresh token still works after the replay`);
    } else outcomes.survivorRevoked++;
  }
  figures.refreshRace =
    `${RACES} races: ${outcomes.bothWon} with two winners, ${outcomes.noneWon} with none, ` +
    `family revoked after ${outcomes.survivorRevoked}, new token still valid after ${outcomes.survivorLives}`;
  progress(figures.refreshRace);
}
