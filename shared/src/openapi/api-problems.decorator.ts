import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem.model';
import { ProblemResponse } from './problem.response';

/** The statuses an operation may answer with a problem, and what each one means here. */
export const PROBLEM_MEANINGS = {
  400: 'The request is malformed or a field is invalid; `errors` lists each refused field.',
  401: 'No access token, or one that is expired, forged or revoked.',
  403: 'The token lacks a required scope, or the resource belongs to someone else.',
  404: 'No such resource.',
  409: 'The request conflicts with the current state of the resource.',
  413: 'The body is larger than the service accepts.',
  415: 'The body is of a type the operation does not accept.',
  422: 'The request is well-formed but cannot be carried out.',
  429: 'Too many requests; wait for `Retry-After` seconds.',
  502: 'A service behind this one answered badly.',
  503: 'A dependency is unavailable; try again after `Retry-After` seconds.',
  504: 'A service behind this one did not answer in time.',
} as const;
export type ProblemStatus = keyof typeof PROBLEM_MEANINGS;

const RETRY_AFTER = {
  description: 'Seconds to wait',
  schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 3600 },
};

const HEADERS: Partial<Record<ProblemStatus, Record<string, object>>> = {
  401: {
    'WWW-Authenticate': {
      description: 'RFC 6750 challenge, e.g. `Bearer error="invalid_token"`',
      schema: { type: 'string', maxLength: 500 },
    },
  },
  429: { 'Retry-After': RETRY_AFTER },
  503: { 'Retry-After': RETRY_AFTER },
};

/** The OpenAPI response object of one problem status, with its schema, headers and an example. */
export function problemResponse(status: ProblemStatus, detail: string = PROBLEM_MEANINGS[status]) {
  return {
    description: detail,
    headers: HEADERS[status],
    content: {
      [PROBLEM_CONTENT_TYPE]: {
        schema: { $ref: getSchemaPath(ProblemResponse) },
        example: {
          type: 'about:blank',
          title: String(status),
          status,
          detail,
          instance: '/…',
          requestId: '…',
        },
      },
    },
  };
}

/**
 * Documents the problems an operation answers beyond those every operation
 * gets from the document itself (401/403 from its scopes, 400, 404, 503):
 * `@ApiProblems(409, 422)`, or with this operation's own wording.
 */
export const ApiProblems = (...problems: (ProblemStatus | [ProblemStatus, string])[]) =>
  applyDecorators(
    ApiExtraModels(ProblemResponse),
    ...problems.map((problem) => {
      const [status, detail] = Array.isArray(problem) ? problem : [problem, undefined];
      return ApiResponse({ status, ...problemResponse(status, detail) });
    }),
  );
