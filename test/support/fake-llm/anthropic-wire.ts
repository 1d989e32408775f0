import { sse, type WireFormat } from './start-fake-llm-server.js';

/** Anthropic Messages API events (`stream: true`). */
export const anthropicWire: WireFormat = {
  name: 'anthropic',
  contentType: 'text/event-stream',
  requestPath: /^\/v1\/messages$/,
  frames(chunks, usage) {
    const message = { id: 'msg_fake', type: 'message', role: 'assistant', model: 'fake-model', content: [], stop_reason: null, stop_sequence: null };
    const start = [
      sse({ type: 'message_start', message: { ...message, usage: { input_tokens: usage.tokensIn, output_tokens: 1 } } }, 'message_start'),
      sse({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, 'content_block_start'),
    ];
    const deltas = chunks.map((text) => sse({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }, 'content_block_delta'));
    // message_start travels with the first delta so a stall after N chunks means N texts were sent.
    const text = deltas.length > 0 ? [concat([...start, deltas[0] as Uint8Array]), ...deltas.slice(1)] : start;
    return {
      text,
      end: [
        sse({ type: 'content_block_stop', index: 0 }, 'content_block_stop'),
        sse({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: usage.tokensOut } }, 'message_delta'),
        sse({ type: 'message_stop' }, 'message_stop'),
      ],
    };
  },
  error(status, message) {
    const type = status === 429 ? 'rate_limit_error' : status === 401 ? 'authentication_error' : 'api_error';
    return { headers: {}, body: JSON.stringify({ type: 'error', error: { type, message } }) };
  },
};

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
