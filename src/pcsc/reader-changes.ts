import type { WireWatchEvent } from './host-protocol.js';
import { readerState } from './reader-state.js';
import type { ReaderChange, ReaderState } from './types.js';

/**
 * Turns the raw notifications of a watch (reader lists and per-reader
 * statuses, src/pcsc/host.ts) into what a person wants to see: a snapshot
 * first, then "reader attached", "card inserted" and so on, each once.
 */
export class ReaderTracker {
  /** Last known state per reader; undefined until the reader's first status arrives. */
  private readonly readers = new Map<string, ReaderState | undefined>();
  private snapshotSent = false;

  /** The changes one event causes, in order. Service errors are not changes: the caller handles them. */
  apply(event: WireWatchEvent): ReaderChange[] {
    switch (event.kind) {
      case 'readers':
        return this.onList(event.names);
      case 'status':
        return this.onStatus(readerState(event.reader, event.flags, event.atr));
      case 'reader-gone':
        return this.onGone(event.reader);
      case 'reader-error':
        // A lost service is reported for the whole watch next; anything else means this reader is gone.
        return event.error.kind === 'no-service' ? [] : this.onGone(event.reader);
      case 'error':
        return [];
    }
  }

  private onList(names: readonly string[]): ReaderChange[] {
    const changes: ReaderChange[] = [];
    for (const name of [...this.readers.keys()]) {
      if (!names.includes(name)) changes.push(...this.onGone(name));
    }
    for (const name of names) {
      if (this.readers.has(name)) continue;
      this.readers.set(name, undefined);
      if (this.snapshotSent) changes.push({ kind: 'reader-attached', reader: name });
    }
    return [...changes, ...this.maybeSnapshot()];
  }

  private onStatus(next: ReaderState): ReaderChange[] {
    if (!this.readers.has(next.name)) return [];
    const previous = this.readers.get(next.name);
    this.readers.set(next.name, next);
    if (!this.snapshotSent) return this.maybeSnapshot();
    // A reader on its way out reports "unknown"; its removal follows.
    if (next.card === 'unknown') return [];
    const before = previous?.card === 'present' || previous?.card === 'mute' ? previous : undefined;
    const changes: ReaderChange[] = [];
    const sameCard = before && next.card !== 'absent' && before.atr.equals(next.atr);
    if (before && !sameCard) changes.push({ kind: 'card-removed', reader: next.name });
    if (next.card === 'present' && !(sameCard && before.card === 'present')) changes.push({ kind: 'card-inserted', reader: next.name, atr: next.atr });
    if (next.card === 'mute' && !(sameCard && before.card === 'mute')) changes.push({ kind: 'card-mute', reader: next.name, atr: next.atr });
    return changes;
  }

  private onGone(name: string): ReaderChange[] {
    if (!this.readers.has(name)) return [];
    this.readers.delete(name);
    return this.snapshotSent ? [{ kind: 'reader-removed', reader: name }] : this.maybeSnapshot();
  }

  /** The snapshot waits until every reader listed at the start has reported its state. */
  private maybeSnapshot(): ReaderChange[] {
    if (this.snapshotSent || [...this.readers.values()].some((s) => s === undefined)) return [];
    this.snapshotSent = true;
    return [{ kind: 'snapshot', readers: [...this.readers.values()].filter((s): s is ReaderState => s !== undefined) }];
  }
}
