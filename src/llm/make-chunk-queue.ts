/**
 * A single-consumer async queue of text chunks. The producer (the LLM call) never
 * waits for the consumer (Slack delivery), so a slow or abandoned consumer cannot
 * stall the call or keep `done` from settling.
 */
export type ChunkQueue = { push(text: string): void; close(): void; chunks: AsyncIterable<string> };

export function makeChunkQueue(): ChunkQueue {
  const buffer: string[] = [];
  let closed = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  async function* chunks(): AsyncGenerator<string> {
    for (;;) {
      const next = buffer.shift();
      if (next !== undefined) yield next;
      else if (closed) return;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  }
  return {
    push(text) {
      if (closed || text === '') return;
      buffer.push(text);
      notify();
    },
    close() {
      closed = true;
      notify();
    },
    chunks: chunks(),
  };
}
