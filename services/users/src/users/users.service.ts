import { Injectable } from '@nestjs/common';
import { AuthenticatedUser, CUSTOMER_SCOPES, DeniedUsersStore, hasScope, OutboxService } from '@shop/shared';
import { DataSource } from 'typeorm';
import { PasswordHasherService } from '../auth/password-hasher.service';
import { RefreshTokensRepository } from '../auth/refresh-tokens.repository';
import { CreateUserDto } from './dto/create-user.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { User } from './user.entity';
import { userEvents } from '../events/users.events';
import { onlyAdminsMaySet, userAlreadyExists, userNotFound } from './users.errors';
import { isUniqueViolation, UsersRepository } from './users.repository';

@Injectable()
export class UsersService {
  constructor(
    private readonly db: DataSource,
    private readonly users: UsersRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly passwords: PasswordHasherService,
    private readonly outbox: OutboxService,
    private readonly deniedUsers: DeniedUsersStore,
  ) {}

  /** Registers a customer. Scopes are the customer's defaults, never the caller's choice. */
  async register(dto: CreateUserDto): Promise<User> {
    const passwordHash = await this.passwords.hash(dto.password);
    try {
      return await this.db.transaction(async (tx) => {
        const user = await this.users.insert(tx, {
          username: dto.username,
          email: dto.email,
          passwordHash,
          age: dto.age ?? null,
          scopes: [...CUSTOMER_SCOPES],
        });
        await this.outbox.add(tx, userEvents.registered(user));
        return user;
      });
    } catch (error) {
      throw isUniqueViolation(error) ? userAlreadyExists() : error;
    }
  }

  list(skip: number, limit: number): Promise<User[]> {
    return this.users.list(skip, limit);
  }

  /** A user the caller may see: themselves, or anyone with `users:read` or `users:write`. */
  async get(caller: AuthenticatedUser, id: string): Promise<User> {
    const mayRead = caller.id === id || hasScope(caller, 'users:read') || hasScope(caller, 'users:write');
    const user = mayRead ? await this.users.findById(id) : null;
    // Another user's id reads as unknown, so ids cannot be probed.
    if (!user) throw userNotFound();
    return user;
  }

  async update(caller: AuthenticatedUser, id: string, dto: UpdateUserDto): Promise<User> {
    const user = await this.findManageable(caller, id);
    const adminOnly = (['disabled', 'scopes'] as const).filter((field) => dto[field] !== undefined);
    if (adminOnly.length > 0 && !hasScope(caller, 'users:write')) throw onlyAdminsMaySet(adminOnly);

    const disabling = dto.disabled === true && !user.disabled;
    if (dto.email !== undefined) user.email = dto.email;
    if (dto.age !== undefined) user.age = dto.age;
    if (dto.scopes !== undefined) user.scopes = dto.scopes;
    if (dto.disabled !== undefined) user.disabled = dto.disabled;
    if (dto.password !== undefined) user.passwordHash = await this.passwords.hash(dto.password);

    let saved: User;
    try {
      saved = await this.db.transaction(async (tx) => {
        const saved = await this.users.save(tx, user);
        // A disabled user, or one whose password changed, keeps no way to mint new tokens.
        if (dto.disabled || dto.password !== undefined) await this.refreshTokens.revokeAllOfUser(tx, id);
        // The gateway hears of it through this event, and closes the user's WebSockets.
        if (disabling) await this.outbox.add(tx, userEvents.disabled(saved));
        return saved;
      });
    } catch (error) {
      throw isUniqueViolation(error) ? userAlreadyExists() : error;
    }
    // Committed: every service refuses the user's still-valid access tokens from its next sync.
    if (disabling) await this.deniedUsers.deny(id, new Date());
    return saved;
  }

  async delete(caller: AuthenticatedUser, id: string): Promise<void> {
    const user = await this.findManageable(caller, id);
    await this.db.transaction(async (tx) => {
      // Refresh tokens and notifications go with the user (ON DELETE CASCADE).
      if (!(await this.users.delete(tx, id))) throw userNotFound();
      await this.outbox.add(tx, userEvents.deleted(user));
    });
    await this.deniedUsers.deny(id, new Date());
  }

  private async findManageable(caller: AuthenticatedUser, id: string): Promise<User> {
    const user = caller.id === id || hasScope(caller, 'users:write') ? await this.users.findById(id) : null;
    if (!user) throw userNotFound();
    return user;
  }
}
