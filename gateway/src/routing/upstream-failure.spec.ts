import { HttpStatus } from '@nestjs/common';
import { classifyUpstreamFailure, upstreamProblem } from './upstream-failure';

const wrapped = (code: string) =>
  Object.assign(new Error('reply-from'), { code: 'FST_REPLY_FROM_INTERNAL_SERVER_ERROR', cause: { code } });

describe('classifyUpstreamFailure', () => {
  it.each([
    ['a refused connection', wrapped('ECONNREFUSED'), HttpStatus.SERVICE_UNAVAILABLE],
    ['an unknown host', { code: 'FST_REPLY_FROM_SERVICE_UNAVAILABLE' }, HttpStatus.SERVICE_UNAVAILABLE],
    ['a connect timeout', { code: 'UND_ERR_CONNECT_TIMEOUT' }, HttpStatus.SERVICE_UNAVAILABLE],
    [
      'a headers timeout',
      { code: 'FST_REPLY_FROM_GATEWAY_TIMEOUT', cause: { code: 'UND_ERR_HEADERS_TIMEOUT' } },
      HttpStatus.GATEWAY_TIMEOUT,
    ],
    ['a body timeout', wrapped('UND_ERR_BODY_TIMEOUT'), HttpStatus.GATEWAY_TIMEOUT],
    ['a socket closed mid-answer', { code: 'UND_ERR_SOCKET' }, HttpStatus.BAD_GATEWAY],
    ['anything else', new Error('odd'), HttpStatus.BAD_GATEWAY],
  ])('answers %s with %i', (_name, error, status) => {
    expect(classifyUpstreamFailure(error).status).toBe(status);
  });
});

describe('upstreamProblem', () => {
  it('asks the client to retry an unavailable service later, and names the service', () => {
    const problem = upstreamProblem('items', classifyUpstreamFailure(wrapped('ECONNREFUSED')), undefined);
    expect(problem.getStatus()).toBe(503);
    expect(problem.getResponse()).toEqual({
      message: 'The items service is unavailable; try again shortly.',
      headers: { 'Retry-After': '5' },
    });
  });
});
