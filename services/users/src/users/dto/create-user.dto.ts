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

/**
 * The seed's registration rules. class-validator runs a property's decorators
 * bottom-up and the pipe reports the first failure, so the type check is last.
 * Unknown fields (scopes, disabled, id) are refused by the ValidationPipe. */
export class CreateUserDto {
  @ApiProperty({ example: 'alice', minLength: 3, maxLength: 50 })
  @Matches(/^[A-Za-z0-9]{3,50}$/, { message: 'username must be 3-50 letters or digits' })
  @IsString()
  username: string;

  @ApiProperty({ example: 'alice@example.com' })
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Secret123', minLength: 8 })
  @MinLength(8, { message: 'password must be at least 8 characters' })
  // argon2 hashes any length, but an unbounded input is a cheap denial of service.
  @MaxLength(128, { message: 'password must be at most 128 characters' })
  @Matches(/\d/, { message: 'password must contain a digit' })
  @Matches(/[A-Z]/, { message: 'password must contain an uppercase letter' })
  @IsString()
  password: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 150 })
  @IsOptional()
  @Min(0, { message: 'age must be at least 0' })
  @Max(150, { message: 'age must be at most 150' })
  @IsInt({ message: 'age must be an integer' })
  age?: number;
}
