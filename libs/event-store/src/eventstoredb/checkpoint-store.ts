import { ANY, BACKWARDS, END, jsonEvent } from '@eventstore/db-client';
import { collect, EsdbClient } from './esdb-client';
import { checkpointStreamOf } from './event-mapping';
import { isStreamNotFound } from './eventstoredb-errors';
import { fromCheckpointData, positionFromCommit, toCheckpointData } from './positions';

export const CHECKPOINT_EVENT_TYPE = 'CheckpointStored';

/**
 * A subscription's checkpoint is the last event of the stream `exchange-checkpoint-<id>`, whose
 * metadata keeps only that one (maxCount 1), so the server scavenges the older ones.
 */
export class CheckpointStore {
  constructor(private readonly client: EsdbClient) {}

  /** The last handled position, 0n when none is stored. */
  async read(checkpointId: string): Promise<bigint> {
    const last = await this.lastCheckpointEvent(checkpointStreamOf(checkpointId));
    return last ? fromCheckpointData(last.data).commit : 0n;
  }

  async save(checkpointId: string, position: bigint): Promise<void> {
    const data = toCheckpointData(positionFromCommit(position));
    const event = jsonEvent({ type: CHECKPOINT_EVENT_TYPE, data });
    await this.client.appendToStream(checkpointStreamOf(checkpointId), event, { expectedRevision: ANY });
  }

  /** Sets maxCount 1 on the checkpoint stream unless it is already set. */
  async keepOnlyLatest(checkpointId: string): Promise<void> {
    const streamName = checkpointStreamOf(checkpointId);
    const { metadata } = await this.client.getStreamMetadata(streamName);
    if (metadata?.maxCount === 1) return;
    await this.client.setStreamMetadata(streamName, { ...metadata, maxCount: 1 });
  }

  private async lastCheckpointEvent(streamName: string) {
    try {
      const read = this.client.readStream(streamName, { fromRevision: END, direction: BACKWARDS, maxCount: 1 });
      const [last] = await collect(read);
      return last?.event;
    } catch (error) {
      if (isStreamNotFound(error)) return undefined;
      throw error;
    }
  }
}
