import { ApiProperty } from '@nestjs/swagger';
import type { User } from '../user.entity';

/** What the API shows of a user: never the password hash. */
export class UserResponse {
  @ApiProperty() id: string;
  @ApiProperty() username: string;
  @ApiProperty() email: string;
  @ApiProperty({ nullable: true, type: Number }) age: number | null;
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiProperty() disabled: boolean;
  @ApiProperty() createdAt: string;

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
