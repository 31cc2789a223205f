/**
 * A conference's messages on one client, kept by sequence number. Messages can arrive twice (in a
 * catch-up and live) or out of order (two server processes): the log keeps one per `seq`, in
 * order, and its `watermark` is the highest seq with nothing missing below it — what the client
 * sends as `lastSeq` when it (re)joins, so a message still in flight when the connection dropped
 * is fetched rather than lost. Plain TypeScript: the room page, tests and the benchmark share it.
 */
export interface Sequenced {
  seq: number;
}

export class MessageLog<M extends Sequenced> {
  private readonly bySeq = new Map<number, M>();
  private sorted: M[] | null = [];
  /** Highest seq such that every seq from 1 to it is held. */
  watermark = 0;
  /** Copies that arrived again and were dropped (expected after a reconnect; never shown twice). */
  dropped = 0;

  /** Adds a message unless its seq is already held; true when it was new. */
  add(message: M): boolean {
    if (this.bySeq.has(message.seq)) {
      this.dropped += 1;
      return false;
    }
    this.bySeq.set(message.seq, message);
    this.sorted = null;
    while (this.bySeq.has(this.watermark + 1)) this.watermark += 1;
    return true;
  }

  /** Adds several; returns how many were new. */
  addAll(messages: readonly M[]): number {
    let added = 0;
    for (const m of messages) if (this.add(m)) added += 1;
    return added;
  }

  /** Replaces a held message with a newer version of it (an edit or a redaction). */
  replace(message: M): void {
    if (!this.bySeq.has(message.seq)) {
      this.add(message);
      return;
    }
    this.bySeq.set(message.seq, message);
    this.sorted = null;
  }

  /** The highest seq held (0 when empty). */
  get head(): number {
    const list = this.list();
    return list.length ? list[list.length - 1].seq : 0;
  }

  get size(): number {
    return this.bySeq.size;
  }

  /** Every message held, oldest first. */
  list(): M[] {
    this.sorted ??= [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
    return this.sorted;
  }
}
