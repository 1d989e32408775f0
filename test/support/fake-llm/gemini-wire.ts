import { utf8, type WireFormat } from './start-fake-llm-server.js';

/** Gemini `models/{model}:streamGenerateContent?alt=sse` (SSE lines end in CRLF as Google sends them). */
export const geminiWire: WireFormat = {
  name: 'gemini',
  contentType: 'text/event-stream',
  requestPath: /^\/v1beta\/models\/fake-model:streamGenerateContent\?alt=sse$/,
  frames(chunks, usage) {
    const frame = (data: unknown) => utf8(`data: ${JSON.stringify(data)}\r\n\r\n`);
    const usageMetadata = { promptTokenCount: usage.tokensIn, candidatesTokenCount: usage.tokensOut, totalTokenCount: usage.tokensIn + usage.tokensOut };
    return {
      text: chunks.map((text) => frame({ candidates: [{ content: { parts: [{ text }], role: 'model' }, index: 0 }], modelVersion: 'fake-model' })),
      end: [frame({ candidates: [{ content: { parts: [{ text: '' }], role: 'model' }, finishReason: 'STOP', index: 0 }], usageMetadata, modelVersion: 'fake-model' })],
    };
  },
  error(status, message) {
    const statusName = status === 429 ? 'RESOURCE_EXHAUSTED' : status === 401 ? 'UNAUTHENTICATED' : status === 404 ? 'NOT_FOUND' : 'INTERNAL';
    return { headers: {}, body: JSON.stringify({ error: { code: status, message, status: statusName } }) };
  },
};
