import { HttpStatus } from '@nestjs/common';
import { toProblem } from '@shop/shared/testing';
import { classifyUpstreamFailure, upstreamProblem } from './upstream-failure.errors';

const wrapped = (code: string) =>
  Object.assign(new Error('wrapper'), { code: 'SOMETHING_ELSE', cause: { code } });
const statusOf = (error: unknown) => upstreamProblem('items', classifyUpstreamFailure(error), error).status;

describe('classifyUpstreamFailure', () => {
  it.each([
    ['a refused connection', wrapped('ECONNREFUSED'), HttpStatus.SERVICE_UNAVAILABLE],
    ['an unknown host', { code: 'ENOTFOUND' }, HttpStatus.SERVICE_UNAVAILABLE],
    ['a connect timeout', { code: 'UND_ERR_CONNECT_TIMEOUT' }, HttpStatus.SERVICE_UNAVAILABLE],
    ['a headers timeout', { code: 'UND_ERR_HEADERS_TIMEOUT' }, HttpStatus.GATEWAY_TIMEOUT],
    ['a body timeout', wrapped('UND_ERR_BODY_TIMEOUT'), HttpStatus.GATEWAY_TIMEOUT],
    ['a socket closed mid-answer', { code: 'UND_ERR_SOCKET' }, HttpStatus.BAD_GATEWAY],
    ['anything else', new Error('odd'), HttpStatus.BAD_GATEWAY],
  ])('answers %s with %i', (_name, error, status) => {
    expect(statusOf(error)).toBe(status);
  });
});

describe('upstreamProblem', () => {
  it('asks the client to retry an unavailable service later, and names the service', () => {
    const cause = wrapped('ECONNREFUSED');
    const problem = upstreamProblem('items', classifyUpstreamFailure(cause), cause);
    expect(problem).toMatchObject({
      status: 503,
      code: 'GATEWAY.UPSTREAM_UNAVAILABLE',
      message: 'The items service is unavailable; try again shortly.',
      cause,
    });
    expect(toProblem(problem).headers).toEqual({ 'retry-after': '5' });
  });
});
