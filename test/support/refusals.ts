import type { HttpAnswer } from './participants';
import type { TestExchange } from './test-exchange';

/** Runs an action and checks that it appended no event. */
export async function expectNoEvent(exchange: Pick<TestExchange, 'eventCount'>, action: () => Promise<void>): Promise<void> {
  const before = await exchange.eventCount();
  await action();
  expect(await exchange.eventCount()).toBe(before);
}

/** A call that must be refused: problem+json with that status and a detail, and no event appended. Answers the problem. */
export async function refused(
  exchange: Pick<TestExchange, 'eventCount'>,
  status: number,
  call: () => Promise<Pick<HttpAnswer, 'status' | 'body' | 'headers'>>,
): Promise<any> {
  let body: any;
  await expectNoEvent(exchange, async () => {
    const answer = await call();
    expect({ status: answer.status, body: answer.body }).toMatchObject({ status, body: { status } });
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(typeof answer.body.detail).toBe('string');
    body = answer.body;
  });
  return body;
}

/**
 * A read that must be refused, of a resource that exists: problem+json with that status and a
 * detail, no event appended (no position moved that the caller could see), and exactly one
 * refusal recorded, in the refusal log that feeds the owner's audit trail. Answers the problem.
 */
export async function refusedRead(
  exchange: Pick<TestExchange, 'eventCount' | 'refusalCount'>,
  status: number,
  call: () => Promise<Pick<HttpAnswer, 'status' | 'body' | 'headers'>>,
): Promise<any> {
  const [before, refusalsBefore] = [await exchange.eventCount(), await exchange.refusalCount()];
  const answer = await call();
  expect({ status: answer.status, body: answer.body }).toMatchObject({ status, body: { status } });
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
  expect(typeof answer.body.detail).toBe('string');
  expect(await exchange.eventCount()).toBe(before);
  expect(await exchange.refusalCount()).toBe(refusalsBefore + 1n);
  return answer.body;
}
