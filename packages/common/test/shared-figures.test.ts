import { RequestContext, SharedFigures } from '../src';

/** Only what SharedFigures reads of a request's context. */
const contextOf = (requestId: string, userId = 'user-1') => ({ requestId, principal: { userId } }) as unknown as RequestContext;

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SharedFigures', () => {
  it('computes the figures of one gateway request once, however many of its subgraph requests ask at the same time', async () => {
    const shared = new SharedFigures<number>();
    const calls: string[][] = [];
    const gate = deferred<void>();
    const compute = async (keys: string[]) => {
      calls.push(keys);
      await gate.promise;
      return new Map(keys.map((key) => [key, key.length]));
    };
    const metrics = shared.load(contextOf('req-1'), ['a', 'bb', 'ccc'], compute);
    const distribution = shared.load(contextOf('req-1'), ['bb', 'ccc', 'dddd'], compute);
    expect(shared.size).toBe(4);
    gate.resolve();
    await expect(metrics).resolves.toEqual([1, 2, 3]);
    await expect(distribution).resolves.toEqual([2, 3, 4]);
    expect(calls).toEqual([['a', 'bb', 'ccc'], ['dddd']]);
    expect(shared.size).toBe(0);
  });

  it('never shares between gateway requests or users, and keeps nothing once computed', async () => {
    const shared = new SharedFigures<string>();
    const calls: string[] = [];
    const gate = deferred<void>();
    const compute = (label: string) => async (keys: string[]) => {
      calls.push(label);
      await gate.promise;
      return new Map(keys.map((key) => [key, `${label}:${key}`]));
    };
    const first = shared.load(contextOf('req-1', 'user-1'), ['a'], compute('first'));
    const otherRequest = shared.load(contextOf('req-2', 'user-1'), ['a'], compute('other request'));
    const otherUser = shared.load(contextOf('req-1', 'user-2'), ['a'], compute('other user'));
    gate.resolve();
    expect(await Promise.all([first, otherRequest, otherUser])).toEqual([['first:a'], ['other request:a'], ['other user:a']]);
    // The same request asking again later computes afresh: nothing is cached.
    expect(await shared.load(contextOf('req-1', 'user-1'), ['a'], compute('later'))).toEqual(['later:a']);
    expect(calls).toEqual(['first', 'other request', 'other user', 'later']);
  });

  it('lets a borrowing request compute for itself when the computation it borrowed fails', async () => {
    const shared = new SharedFigures<number>();
    const gate = deferred<void>();
    const failing = async () => {
      await gate.promise;
      throw new Error('the first request was cancelled');
    };
    const first = shared.load(contextOf('req-1'), ['a'], failing);
    const second = shared.load(contextOf('req-1'), ['a'], async (keys) => new Map(keys.map((key) => [key, 42])));
    gate.resolve();
    await expect(first).rejects.toThrow('the first request was cancelled');
    await expect(second).resolves.toEqual([42]);
    expect(shared.size).toBe(0);
  });

  it('refuses a computation that leaves a key out', async () => {
    const shared = new SharedFigures<number>();
    await expect(shared.load(contextOf('req-1'), ['a', 'b'], async () => new Map([['a', 1]]))).rejects.toThrow('no value for b');
  });
});
