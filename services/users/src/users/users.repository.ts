import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { User } from './user.entity';

/** Postgres' unique_violation: a username or email that is already taken. */
const UNIQUE_VIOLATION = '23505';

export const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === UNIQUE_VIOLATION;

/** The users. Reads run on their own; writes run in the caller's transaction, given first (`tx`). */
@Injectable()
export class UsersRepository {
  constructor(private readonly db: DataSource) {}

  findById(id: string): Promise<User | null> {
    return this.db.getRepository(User).findOneBy({ id });
  }

  findByUsername(username: string): Promise<User | null> {
    return this.db
      .getRepository(User)
      .createQueryBuilder('u')
      .where('lower(u.username) = lower(:username)', { username })
      .getOne();
  }

  list(skip: number, limit: number): Promise<User[]> {
    return this.db.getRepository(User).find({ order: { createdAt: 'ASC', id: 'ASC' }, skip, take: limit });
  }

  insert(
    tx: EntityManager,
    user: Pick<User, 'username' | 'email' | 'passwordHash' | 'age' | 'scopes'>,
  ): Promise<User> {
    const repo = tx.getRepository(User);
    return repo.save(repo.create({ ...user, disabled: false }));
  }

  save(tx: EntityManager, user: User): Promise<User> {
    return tx.getRepository(User).save(user);
  }

  async delete(tx: EntityManager, id: string): Promise<boolean> {
    const result = await tx.getRepository(User).delete({ id });
    return result.affected === 1;
  }
}
