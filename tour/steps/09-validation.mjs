// §9: the registration DTO's rules, and a field a customer may not set, refused rather than dropped.
import { expectProblemNaming } from '../lib/expect.mjs';
import { anonymous, freshName } from '../lib/system.mjs';

export const section = 9;
export const title = 'request validation';

export async function run() {
  const api = anonymous();
  const username = freshName('tourv');
  const body = { username, email: `${username}@example.com`, password: 'lowercase1' };
  expectProblemNaming(
    await api.users.POST('/api/v1/users', { body }),
    400,
    'password',
    'a password without an uppercase letter',
  );
  const sneaky = { ...body, password: 'Upper1234', scopes: ['users:write'] };
  expectProblemNaming(
    await api.users.POST('/api/v1/users', { body: sneaky }),
    400,
    'scopes',
    'registering with scopes',
  );
  return 'weak password → 400 naming password; "scopes" in the body → 400 naming scopes';
}
