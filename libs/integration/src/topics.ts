/** Every committed event, in commit order per stream (keyed by stream id). Internal: holds derivations. */
export const EVENTS_TOPIC = 'exchange.events';
/** Messages a consumer could not handle, with the reason in their headers. */
export const DEAD_LETTER_TOPIC = 'exchange.dead-letter';
/** One organization's inbox: only what it may see, each message signed by the exchange. */
export const inboxTopic = (organizationId: string) => `exchange.inbox.${organizationId}`;
