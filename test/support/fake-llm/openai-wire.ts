import { sse, utf8, type WireFormat } from './start-fake-llm-server.js';

/** OpenAI chat completions with `stream: true` and `stream_options.include_usage`. */
export const openAiWire: WireFormat = {
  name: 'openai',
  contentType: 'text/event-stream',
  requestPath: /^\/v1\/chat\/completions$/,
  frames(chunks, usage) {
    const base = { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'fake-model' };
    return {
      text: chunks.map((content, n) =>
        sse({ ...base, choices: [{ index: 0, delta: n === 0 ? { role: 'assistant', content } : { content }, finish_reason: null }] }),
      ),
      end: [
        sse({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }),
        sse({ ...base, choices: [], usage: { prompt_tokens: usage.tokensIn, completion_tokens: usage.tokensOut, total_tokens: usage.tokensIn + usage.tokensOut } }),
        utf8('data: [DONE]\n\n'),
      ],
    };
  },
  error(status, message) {
    const type = status === 429 ? 'rate_limit_exceeded' : status === 401 ? 'invalid_api_key' : 'server_error';
    return { headers: {}, body: JSON.stringify({ error: { message, type, code: type, param: null } }) };
  },
};
