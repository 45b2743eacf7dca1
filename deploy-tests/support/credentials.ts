import { createHash } from 'node:crypto';
import { readText } from './repo';

interface BrokerUser {
  name: string;
  password_hash: string;
}

/** The users of RabbitMQ definitions, given as JSON text. */
export const usersOfDefinitions = (json: string): BrokerUser[] =>
  (JSON.parse(json) as { users: BrokerUser[] }).users;

/** The users of a RabbitMQ definitions file (e.g. scripts/broker/definitions.json). */
export const brokerUsers = (file: string): BrokerUser[] => usersOfDefinitions(readText(file));

/** rabbit_password_hashing_sha256: base64(salt ‖ sha256(salt ‖ password)) with a 4-byte salt. */
export function matchesBrokerHash(hash: string, password: string): boolean {
  const bytes = Buffer.from(hash, 'base64');
  const salt = bytes.subarray(0, 4);
  const digest = createHash('sha256').update(salt).update(password, 'utf8').digest();
  return Buffer.concat([salt, digest]).toString('base64') === hash;
}

/** The user and password in a URL such as amqp://orders_svc:secret@rabbitmq:5672. */
export function credentialsOf(url: string): { user: string; password: string; database: string } {
  const parsed = new URL(url);
  return {
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
  };
}
