import { ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional } from 'class-validator';
import { SCOPES } from '@shop/shared';
import { CreateUserDto } from './create-user.dto';

/** A set of scopes: known ones, each once, so never more than all of them. */
export const SCOPE_SET = { enum: SCOPES, isArray: true, uniqueItems: true, maxItems: SCOPES.length } as const;

/** A change to a user. `disabled` and `scopes` need `users:write`; the service enforces that. */
export class UpdateUserDto extends PartialType(
  PickType(CreateUserDto, ['email', 'password', 'age'] as const),
) {
  @ApiPropertyOptional({
    description: 'Needs `users:write`. Disabling revokes the refresh tokens and refuses the access tokens.',
    example: true,
  })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({
    ...SCOPE_SET,
    description: 'Needs `users:write`. Replaces every scope of the user.',
    example: ['items:read', 'orders:read', 'orders:write', 'inventory:read'],
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(SCOPES, { each: true, message: 'scopes must contain only known scopes' })
  scopes?: string[];
}
