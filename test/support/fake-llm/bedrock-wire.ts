import { EventStreamCodec } from '@smithy/core/event-streams';
import type { WireFormat } from './start-fake-llm-server.js';

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => new Uint8Array(Buffer.from(text, 'utf8')),
);

/** One `application/vnd.amazon.eventstream` frame carrying a ConverseStream event. */
function event(type: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: new Uint8Array(Buffer.from(JSON.stringify(payload), 'utf8')),
  });
}

/** Bedrock Runtime `POST /model/{modelId}/converse-stream`. */
export const bedrockWire: WireFormat = {
  name: 'bedrock',
  contentType: 'application/vnd.amazon.eventstream',
  requestPath: /^\/model\/fake-model\/converse-stream$/,
  http2: true,
  frames(chunks, usage) {
    const deltas = chunks.map((text) => event('contentBlockDelta', { contentBlockIndex: 0, delta: { text } }));
    const start = event('messageStart', { role: 'assistant' });
    const first = deltas[0];
    return {
      text: first ? [Buffer.concat([start, first]), ...deltas.slice(1)] : [start],
      end: [
        event('contentBlockStop', { contentBlockIndex: 0 }),
        event('messageStop', { stopReason: 'end_turn' }),
        event('metadata', { usage: { inputTokens: usage.tokensIn, outputTokens: usage.tokensOut, totalTokens: usage.tokensIn + usage.tokensOut }, metrics: { latencyMs: 1 } }),
      ],
    };
  },
  error(status, message) {
    const type = status === 429 ? 'ThrottlingException' : status === 403 ? 'AccessDeniedException' : status === 404 ? 'ResourceNotFoundException' : 'InternalServerException';
    return { headers: { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` }, body: JSON.stringify({ message }) };
  },
};
