import { ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional } from 'class-validator';
import { SCOPES } from '@shop/shared';
import { CreateUserDto } from './create-user.dto';

/** A change to a user. `disabled` and `scopes` need `users:write`; the service enforces that. */
export class UpdateUserDto extends PartialType(
  PickType(CreateUserDto, ['email', 'password', 'age'] as const),
) {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ enum: SCOPES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(SCOPES, { each: true, message: 'scopes must contain only known scopes' })
  scopes?: string[];
}
