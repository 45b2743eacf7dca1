import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { MAX_PUBLISHED_KEYS, SIGNING_ALG } from '../signing-keys.service';

// 32 bytes, base64url: an Ed25519 public key, and a SHA-256 thumbprint.
const BASE64URL_32_BYTES = { pattern: '^[A-Za-z0-9_-]{43}$', minLength: 43, maxLength: 43 } as const;

/** One public signing key (RFC 8037 OKP key), as verifiers read it. */
@ApiSchema({ description: 'An Ed25519 public key that verifies access tokens (RFC 7517, RFC 8037).' })
export class JwkResponse {
  @ApiProperty({ enum: ['OKP'], example: 'OKP' })
  kty: 'OKP';

  @ApiProperty({ enum: ['Ed25519'], example: 'Ed25519' })
  crv: 'Ed25519';

  @ApiProperty({
    ...BASE64URL_32_BYTES,
    description: 'The public key',
    example: '8s5NUkTc2RrVdjt2Qw_ySSOWd9c7vtNeJaELINlZQck',
  })
  x: string;

  @ApiProperty({
    ...BASE64URL_32_BYTES,
    description: "The key's RFC 7638 thumbprint; access tokens name it in their `kid` header",
    example: 'n4cQ-I_WkHMcwXBJa7IHkYu8CMfdNcZKnKsOrnHLpFs',
  })
  kid: string;

  @ApiProperty({ enum: ['sig'], example: 'sig' })
  use: 'sig';

  @ApiProperty({ enum: [SIGNING_ALG], example: SIGNING_ALG })
  alg: typeof SIGNING_ALG;
}

/** The JWK Set (RFC 7517 §5) of `/.well-known/jwks.json`. */
@ApiSchema({
  description:
    'The key that signs new tokens and those retired recently enough to verify tokens still valid.',
})
export class JwkSetResponse {
  @ApiProperty({ type: [JwkResponse], minItems: 1, maxItems: MAX_PUBLISHED_KEYS })
  keys: JwkResponse[];
}
