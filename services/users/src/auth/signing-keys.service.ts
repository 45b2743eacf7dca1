import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { calculateJwkThumbprint, CryptoKey, exportJWK, generateKeyPair, importJWK, JWK } from 'jose';
import { DataSource } from 'typeorm';
import { USERS_CONFIG, type UsersConfig } from '../users.config';
import { SigningKey } from './signing-key.entity';
import { SigningKeysRepository } from './signing-keys.repository';

export const SIGNING_ALG = 'EdDSA';
/** How often a replica re-reads the keys, so a rotation made by another replica is picked up. */
const REFRESH_MS = 60_000;
/**
 * At most this many keys are published, newest first: the active one and the keys retired
 * most recently. Rotating more often than that within a token lifetime would drop a key
 * whose tokens are still valid.
 */
export const MAX_PUBLISHED_KEYS = 10;

/** A retired key stays published this long after the access token lifetime, covering replicas that signed late. */
const RETIRED_GRACE_MS = 5 * 60_000;

export interface ActiveKey {
  kid: string;
  key: CryptoKey;
}

/**
 * The token signing keys. They live in the users schema so every replica signs
 * with the same key, and rotation (`rotate()`) is one transaction that any
 * replica or the `rotate-signing-key` command can run.
 */
@Injectable()
export class SigningKeysService implements OnModuleInit {
  private readonly logger = new Logger(SigningKeysService.name);
  private active?: Promise<ActiveKey>;
  private publicKeys?: Promise<JWK[]>;
  private loadedAt = 0;

  private readonly accessTokenTtlMs: number;

  constructor(
    private readonly db: DataSource,
    private readonly keys: SigningKeysRepository,
    @Inject(USERS_CONFIG) config: UsersConfig,
  ) {
    this.accessTokenTtlMs = config.ACCESS_TOKEN_TTL;
  }

  async onModuleInit(): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.keys.lock(tx);
      if (!(await this.keys.findActive(tx))) await this.keys.insert(tx, await this.generate());
    });
  }

  /** The key that signs new tokens. */
  signingKey(): Promise<ActiveKey> {
    this.refreshIfStale();
    return this.active!;
  }

  /** The public keys verifiers may meet: the active one and recently retired ones. */
  jwks(): Promise<{ keys: JWK[] }> {
    this.refreshIfStale();
    return this.publicKeys!.then((keys) => ({ keys }));
  }

  /** Retires the active key, starts signing with a new one and forgets keys whose tokens have all expired. */
  async rotate(): Promise<string> {
    const next = await this.generate();
    await this.db.transaction(async (tx) => {
      await this.keys.lock(tx);
      await this.keys.retireActive(tx);
      await this.keys.insert(tx, next);
      await this.keys.deleteRetiredBefore(tx, this.accessTokenTtlMs + RETIRED_GRACE_MS);
    });
    this.loadedAt = 0;
    this.logger.log(`Rotated the token signing key; new kid ${next.kid}`);
    return next.kid;
  }

  private refreshIfStale(): void {
    if (Date.now() - this.loadedAt < REFRESH_MS && this.active) return;
    this.loadedAt = Date.now();
    const keys = this.keys.listNewestFirst();
    this.active = keys.then(async (all) => {
      const current = all.find((key) => key.retiredAt === null) ?? all[0];
      return { kid: current.kid, key: (await importJWK(current.privateJwk, current.alg)) as CryptoKey };
    });
    this.publicKeys = keys.then((all) => all.slice(0, MAX_PUBLISHED_KEYS).map((key) => key.publicJwk));
    // A failed read must not stick: the next call tries again.
    this.active.catch(() => (this.loadedAt = 0));
  }

  private async generate(): Promise<SigningKey> {
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    return Object.assign(new SigningKey(), {
      kid,
      alg: SIGNING_ALG,
      privateJwk: { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALG },
      publicJwk: { ...publicJwk, kid, alg: SIGNING_ALG, use: 'sig' },
      retiredAt: null,
    });
  }
}
