// The suite's own database, broker vhost and Redis key prefix (scripts/lib/suite-infra.mjs),
// made fresh for every run, with the one thing only this suite does to them: running a
// users-service command line against its database.
import { sh, SERVICES, suiteInfra } from '../../scripts/lib/suite-infra.mjs';

export { SERVICES };

/** `{ db, vhost, prefix }` → the suite's infrastructure (see scripts/lib/suite-infra.mjs). */
export function infraFor(names) {
  return {
    ...suiteInfra(names),
    /** Runs a users-service command line (`dist/rotate-signing-key.js`) against this database. */
    usersCommand: (script, env) => sh('node', [`services/users/dist/${script}`], env),
  };
}
