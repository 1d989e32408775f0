import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { PGlite } from '@electric-sql/pglite';

/**
 * pglite-socket multiplexes every connection onto PGlite's single backend through a
 * queue of protocol messages, keeping a transaction's messages together but not an
 * extended-protocol exchange: `pg` sends Parse/Bind/Describe/Execute/Sync as separate
 * messages, and another connection's Parse could land between this connection's
 * Parse and Bind ("bind message supplies 1 parameters, but prepared statement
 * requires 3"). It also stalls the queue forever after a failed message.
 *
 * This replaces the queue's scheduler so that, once a connection has started an
 * exchange (transaction or extended protocol up to Sync), only that connection's
 * messages run until the exchange ends, and a failure never stalls the queue.
 */

type QueueItem = {
  handlerId: number;
  message: Uint8Array;
  resolve: (bytes: number) => void;
  reject: (err: unknown) => void;
  onData: (data: Uint8Array) => void;
};

type QueryQueue = {
  db: PGlite;
  queue: QueueItem[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
};

// Frontend message types that continue an extended-protocol exchange until Sync ('S').
const EXTENDED = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)));

export function serializeExtendedProtocol(server: PGLiteSocketServer): void {
  const q = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  let midExchange = false;

  q.processQueue = async function processQueue(this: QueryQueue): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        let index = 0;
        if ((midExchange || this.db.isInTransaction()) && this.lastHandlerId !== null) {
          index = this.queue.findIndex((item) => item.handlerId === this.lastHandlerId);
          // Wait for the same connection's next message; its arrival restarts the loop.
          if (index === -1) break;
        }
        const [item] = this.queue.splice(index, 1);
        if (!item) break;
        this.lastHandlerId = item.handlerId;
        const type = item.message[0] ?? 0;
        midExchange = EXTENDED.has(type);
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
          item.resolve(bytes);
        } catch (err) {
          midExchange = false;
          item.reject(err);
        }
      }
    } finally {
      this.processing = false;
    }
  };

  const clear = q.clearQueueForHandler.bind(q);
  q.clearQueueForHandler = (handlerId: number) => {
    // A connection that dropped mid-exchange must not hold the queue.
    if (q.lastHandlerId === handlerId) midExchange = false;
    clear(handlerId);
  };
}
