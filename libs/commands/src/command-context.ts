import { v5 as uuidv5 } from 'uuid';

/** Namespace of every id derived from a piece of work (its events, the resources it creates). */
const WORK_ID_NAMESPACE = '3f0c2a9e-6d41-5b8a-9c7e-2b5d8f1a4e60';

/**
 * The piece of work a command belongs to, which names what it writes:
 * - `request`: an HTTP request carrying an Idempotency-Key. Its events and resources are named
 *   after the caller's key, so executing it again (a retry after a crash lost the answer) finds
 *   what the first execution recorded instead of deciding again;
 * - `reaction`: a follow-up fact of a recorded event, named after what causes it, so reacting twice
 *   appends nothing the second time;
 * - `once`: anything else; its ids are random.
 */
export type Work = { kind: 'request'; keyId: string; requestSha256: string } | { kind: 'reaction'; cause: string } | { kind: 'once' };

/**
 * What a command is executed with, passed in rather than read from ambient state: the instant its
 * facts are stamped with and the work it belongs to. The same context gives the same event ids
 * and resource ids, whatever order a handler's calls run in.
 */
export interface CommandContext {
  readonly now: string;
  readonly work: Work;
}

type Uuid = ReturnType<typeof crypto.randomUUID>;

const derived = (...parts: string[]) => uuidv5(parts.join('/'), WORK_ID_NAMESPACE) as Uuid;

/** The context of a request carrying an Idempotency-Key: `scopedKey` is the caller's scope and the key. */
export function requestContext(scopedKey: string, requestSha256: string, now: string): CommandContext {
  return { now, work: { kind: 'request', keyId: derived('idempotency-key', scopedKey), requestSha256 } };
}

/** The context of a reaction to whatever `cause` names (e.g. the event and the follow-up it causes). */
export const reactionContext = (cause: string, now: string): CommandContext => ({ now, work: { kind: 'reaction', cause } });

/** A context whose writes are named at random: nothing will ever look for them again. */
export const onceContext = (now: string = new Date().toISOString()): CommandContext => ({ now, work: { kind: 'once' } });

/** The same context at another instant (a replay rebuilds what was recorded at the recorded time). */
export const at = (context: CommandContext, now: string): CommandContext => ({ ...context, now });

/** What names the work in derived ids, or undefined when its ids are random. */
function workName(work: Work): string | undefined {
  switch (work.kind) {
    case 'request':
      return work.keyId;
    case 'reaction':
      return `reaction/${work.cause}`;
    case 'once':
      return undefined;
  }
}

/** Whether the work's writes have names a later execution can find. */
export const isNamed = (context: CommandContext) => workName(context.work) !== undefined;

/** The id of the `index`-th event one step of the work appends to a stream. */
export function eventIdFor(context: CommandContext, streamId: string, step: string, index: number): Uuid {
  const name = workName(context.work);
  return name === undefined ? crypto.randomUUID() : derived(name, 'event', streamId, step, String(index));
}

/** The id of a resource the work creates, `name` telling it apart from the work's other resources. */
export function resourceIdFor(context: CommandContext, name: string): Uuid {
  const work = workName(context.work);
  return work === undefined ? crypto.randomUUID() : derived(work, 'resource', name);
}
