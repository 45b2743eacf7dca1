export * from './access-token.verifier';
export * from './auth.errors';
export * from './auth.module';
export * from './authenticated-user';
export * from './current-user.decorator';
export * from './jwt-auth.guard';
export * from './public.decorator';
export * from './scopes.decorator';
export type { KeySource } from './signing-key.source';
