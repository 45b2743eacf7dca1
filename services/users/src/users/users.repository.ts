import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { User } from './user.entity';

/** Postgres' unique_violation: a username or email that is already taken. */
const UNIQUE_VIOLATION = '23505';

export const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === UNIQUE_VIOLATION;

@Injectable()
export class UsersRepository {
  constructor(private readonly db: DataSource) {}

  private repo(tx?: EntityManager) {
    return (tx ?? this.db.manager).getRepository(User);
  }

  findById(id: string): Promise<User | null> {
    return this.repo().findOneBy({ id });
  }

  findByUsername(username: string): Promise<User | null> {
    return this.repo()
      .createQueryBuilder('u')
      .where('lower(u.username) = lower(:username)', { username })
      .getOne();
  }

  list(skip: number, limit: number): Promise<User[]> {
    return this.repo().find({ order: { createdAt: 'ASC', id: 'ASC' }, skip, take: limit });
  }

  insert(
    user: Pick<User, 'username' | 'email' | 'passwordHash' | 'age' | 'scopes'>,
    tx?: EntityManager,
  ): Promise<User> {
    const repo = this.repo(tx);
    return repo.save(repo.create({ ...user, disabled: false }));
  }

  save(user: User, tx?: EntityManager): Promise<User> {
    return this.repo(tx).save(user);
  }

  async delete(id: string, tx?: EntityManager): Promise<boolean> {
    const result = await this.repo(tx).delete({ id });
    return result.affected === 1;
  }
}
