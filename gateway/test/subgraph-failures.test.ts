import { FetchError } from 'node-fetch';
import { parse } from 'graphql';
import { subgraphFailure, unavailableResponse } from '../src/subgraph-failures';

describe('a subgraph that gives no answer', () => {
  it.each([
    ['a refused connection', new FetchError('request to http://10.0.0.3:4003/graphql failed, reason: connect ECONNREFUSED', 'system', { code: 'ECONNREFUSED' } as never), 'unreachable'],
    ['a reset connection', new FetchError('socket hang up', 'system', { code: 'ECONNRESET' } as never), 'unreachable'],
    ['the gateway’s timeout (SUBGRAPH_TIMEOUT_MS)', Object.assign(new Error('The user aborted a request.'), { name: 'AbortError', type: 'aborted' }), 'timeout'],
    ['an HTTP 502 of a proxy', Object.assign(new Error('502: Bad Gateway'), { extensions: { response: { status: 502 } } }), 'failed'],
    ['an answer that is not JSON', new Error('Expected JSON response body, but received: <html>'), 'failed'],
  ])('%s is a failure of the subgraph', (_what, error, expected) => {
    expect(subgraphFailure(error)).toBe(expected);
  });

  it.each([
    ['an HTTP 401', Object.assign(new Error('401: Unauthorized'), { extensions: { response: { status: 401 } } })],
    ['a bug', new TypeError('x is undefined')],
  ])('%s is not (it keeps its own error)', (_what, error) => {
    expect(subgraphFailure(error)).toBeNull();
  });

  const options = (query: string, variables: Record<string, unknown> = {}) =>
    ({ kind: 'incoming operation', request: { query, variables }, document: parse(query), context: {} }) as never;

  it('answers a root field with one error per field it was to give, at its path', () => {
    expect(unavailableResponse('referrals', 'unreachable', options('query Q__referrals__1 { referral(id: "1") { id } all: referrals { id } }'), 10_000)).toEqual({
      errors: [
        {
          message: 'The referrals service is not reachable right now: referral is missing from this answer. The rest of the answer is complete. Try again shortly.',
          path: ['referral'],
          extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'referrals', reason: 'unreachable', fields: ['Query.referral'] },
        },
        {
          message: 'The referrals service is not reachable right now: all is missing from this answer. The rest of the answer is complete. Try again shortly.',
          path: ['all'],
          extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'referrals', reason: 'unreachable', fields: ['Query.referrals'] },
        },
      ],
    });
  });

  it('says that a change may have been made when a mutation timed out', () => {
    const [error] = unavailableResponse('cases', 'timeout', options('mutation { recordConsultation(input: {}) { id } }'), 10_000).errors;
    expect(error.message).toBe(
      'The cases service did not answer within 10000 ms (SUBGRAPH_TIMEOUT_MS): recordConsultation is missing from this answer. The change may or may not have been made: retry with the same idempotencyKey, or read it back.',
    );
  });

  it('answers an entity fetch with one error at the first object’s field, naming the fields and how many objects', () => {
    const query = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Case { referrals { id } } } }';
    expect(unavailableResponse('referrals', 'unreachable', options(query, { representations: [{}, {}, {}] }), 10_000)).toEqual({
      errors: [
        {
          message:
            'The referrals service is not reachable right now: Case.referrals is missing from this answer (for all 3 objects; this error names the first). The rest of the answer is complete. Try again shortly.',
          path: ['_entities', 0, 'referrals'],
          extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'referrals', reason: 'unreachable', fields: ['Case.referrals'], objects: 3 },
        },
      ],
    });
  });
});
