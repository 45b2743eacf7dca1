import { STATUS_CODES } from 'node:http';

/** One refused field of a request, as listed in a validation problem. */
export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 9457 problem details body. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Builds a problem for a plain HTTP status (`type: about:blank`, title from the status). */
export function httpProblem(status: number, detail: string, extra: Partial<Problem> = {}): Problem {
  return { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail, ...extra };
}
