import { Algorithm, hash, verify } from '@node-rs/argon2';
import { Injectable } from '@nestjs/common';

/** OWASP's argon2id baseline: 19 MiB of memory, 2 iterations, 1 lane. */
const ARGON2ID = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** A hash of a password nobody has, so an unknown username costs as much as a wrong password. */
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2ho4p8EGMg3vf+l+3gDA8K/Va3vYCHZ2D4cMPhbD0qg';

@Injectable()
export class PasswordHasherService {
  hash(password: string): Promise<string> {
    return hash(password, ARGON2ID);
  }

  /** Verifies a password; with no stored hash it still spends the time, to not reveal which usernames exist. */
  async verify(storedHash: string | undefined, password: string): Promise<boolean> {
    try {
      const matches = await verify(storedHash ?? DUMMY_HASH, password);
      return matches && storedHash !== undefined;
    } catch {
      return false;
    }
  }
}
