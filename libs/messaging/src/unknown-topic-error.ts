/** A publish or consume named a topic that was never created (see MessageBus.ensureTopics). */
export class UnknownTopicError extends Error {
  constructor(
    readonly topic: string,
    override readonly cause?: unknown,
  ) {
    super(`topic "${topic}" does not exist: call ensureTopics first`);
    this.name = 'UnknownTopicError';
  }
}
