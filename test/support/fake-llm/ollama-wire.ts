import { utf8, type WireFormat } from './start-fake-llm-server.js';

/** Ollama `/api/chat` with `stream: true`: one JSON object per line. */
export const ollamaWire: WireFormat = {
  name: 'ollama',
  contentType: 'application/x-ndjson',
  requestPath: /^\/api\/chat$/,
  frames(chunks, usage) {
    const line = (data: unknown) => utf8(`${JSON.stringify(data)}\n`);
    const base = { model: 'fake-model', created_at: '2025-01-01T00:00:00Z' };
    return {
      text: chunks.map((content) => line({ ...base, message: { role: 'assistant', content }, done: false })),
      end: [
        line({
          ...base,
          message: { role: 'assistant', content: '' },
          done: true,
          done_reason: 'stop',
          total_duration: 1_000_000,
          prompt_eval_count: usage.tokensIn,
          eval_count: usage.tokensOut,
        }),
      ],
    };
  },
  error(_status, message) {
    return { headers: {}, body: JSON.stringify({ error: message }) };
  },
};
