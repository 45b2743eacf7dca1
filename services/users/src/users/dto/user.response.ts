import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { User } from '../user.entity';
import { AGE, EMAIL, USERNAME } from './create-user.dto';
import { SCOPE_SET } from './update-user.dto';

// The lengths of what the fields hold: a UUID's text and Date.toISOString().
const UUID = { format: 'uuid', minLength: 36, maxLength: 36 } as const;
const TIMESTAMP = { format: 'date-time', maxLength: 24 } as const;

/** What the API shows of a user: never the password hash. */
@ApiSchema({ description: 'A user, without the password.' })
export class UserResponse {
  @ApiProperty({ ...UUID, example: '3f9d2a4e-8b1c-4e5f-9a7d-2c6b1e0f4a83' })
  id: string;

  @ApiProperty({ ...USERNAME, example: 'alice' })
  username: string;

  @ApiProperty({ ...EMAIL, example: 'alice@example.com' })
  email: string;

  @ApiProperty({ ...AGE, nullable: true, example: 34 })
  age: number | null;

  @ApiProperty({ ...SCOPE_SET, example: ['items:read', 'orders:read', 'orders:write'] })
  scopes: string[];

  @ApiProperty({
    description: 'A disabled user gets no tokens, and their tokens are refused',
    example: false,
  })
  disabled: boolean;

  @ApiProperty({ ...TIMESTAMP, description: 'When the user registered', example: '2025-11-24T09:30:00.000Z' })
  createdAt: string;

  static from(user: User): UserResponse {
    return {
      id: user.id,
      username: user.username,
      email: user.email,
      age: user.age,
      scopes: user.scopes,
      disabled: user.disabled,
      createdAt: user.createdAt.toISOString(),
    };
  }
}
