import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEmail,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

// The seed's rules, as the validators below enforce them and the document shows them.
const USERNAME_PATTERN = /^[A-Za-z0-9]{3,50}$/;
/** What every username is: 3-50 ASCII letters or digits (ADMIN_USERNAME obeys it too). */
export const USERNAME = { pattern: USERNAME_PATTERN.source, minLength: 3, maxLength: 50 } as const;
export const EMAIL = { format: 'email', maxLength: 254 } as const;
export const AGE = { type: 'integer', format: 'int32', minimum: 0, maximum: 150 } as const;
// argon2 hashes any length, but an unbounded input is a cheap denial of service.
const PASSWORD_MAX_LENGTH = 128;
const DIGIT = /\d/;
const UPPERCASE = /[A-Z]/;

/**
 * The seed's registration rules. class-validator runs a property's decorators
 * bottom-up and the pipe reports the first failure, so the type check is last.
 * Unknown fields (scopes, disabled, id) are refused by the ValidationPipe. */
export class CreateUserDto {
  @ApiProperty({ ...USERNAME, description: 'ASCII letters and digits only', example: 'alice' })
  @Matches(USERNAME_PATTERN, { message: 'username must be 3-50 letters or digits' })
  @IsString()
  username: string;

  @ApiProperty({ ...EMAIL, example: 'alice@example.com' })
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(EMAIL.maxLength)
  email: string;

  @ApiProperty({
    format: 'password',
    minLength: 8,
    maxLength: PASSWORD_MAX_LENGTH,
    // Both rules in one pattern: it looks ahead for a digit, then for an uppercase letter.
    pattern: `^(?=[\\s\\S]*${DIGIT.source})(?=[\\s\\S]*${UPPERCASE.source})`,
    description: 'At least one digit and one uppercase letter (A-Z)',
    example: 'Secret123',
  })
  @MinLength(8, { message: 'password must be at least 8 characters' })
  @MaxLength(PASSWORD_MAX_LENGTH, { message: `password must be at most ${PASSWORD_MAX_LENGTH} characters` })
  @Matches(DIGIT, { message: 'password must contain a digit' })
  @Matches(UPPERCASE, { message: 'password must contain an uppercase letter' })
  @IsString()
  password: string;

  @ApiPropertyOptional({ ...AGE, example: 34 })
  @IsOptional()
  @Min(AGE.minimum, { message: 'age must be at least 0' })
  @Max(AGE.maximum, { message: 'age must be at most 150' })
  @IsInt({ message: 'age must be an integer' })
  age?: number;
}
