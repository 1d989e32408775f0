import type { Embedder } from './embedder.js';

export const LOCAL_EMBEDDING_DIMENSIONS = 384;

/** Weights of the three feature kinds: whole words say most, character trigrams catch spelling variants. */
const WORD_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.7;
const TRIGRAM_WEIGHT = 0.3;

/**
 * The default embedder: no network, no model files, deterministic. Feature hashing
 * of words, word bigrams and character trigrams into a fixed number of signed
 * buckets, L2-normalised so cosine similarity is a dot product. It knows no
 * synonyms; it is good at the near-duplicates that repeat incidents are.
 */
export function makeLocalEmbedder(dimensions = LOCAL_EMBEDDING_DIMENSIONS): Embedder {
  return {
    model: `local-hash-v1-${dimensions}`,
    embed: async (texts) => texts.map((t) => embedLocally(t, dimensions)),
  };
}

export function embedLocally(text: string, dimensions = LOCAL_EMBEDDING_DIMENSIONS): number[] {
  const v = new Float64Array(dimensions);
  const add = (feature: string, weight: number): void => {
    const h = fnv1a(feature);
    // The top bit picks the sign so colliding features tend to cancel, not pile up.
    v[h % dimensions] = (v[h % dimensions] ?? 0) + (h & 0x80000000 ? -weight : weight);
  };
  const words = text.toLowerCase().match(/[a-z0-9_.:/-]+/g)?.map((w) => w.replace(/^[.:/-]+|[.:/-]+$/g, '')).filter((w) => w.length > 1) ?? [];
  for (const [i, w] of words.entries()) {
    add(`w:${w}`, WORD_WEIGHT);
    const next = words[i + 1];
    if (next) add(`b:${w} ${next}`, BIGRAM_WEIGHT);
    const padded = `^${w}$`;
    for (let j = 0; j + 3 <= padded.length; j++) add(`c:${padded.slice(j, j + 3)}`, TRIGRAM_WEIGHT);
  }
  return normalize([...v]);
}

export function normalize(v: number[]): number[] {
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return norm === 0 ? v.map(() => 0) : v.map((x) => x / norm);
}

/** 32-bit FNV-1a. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
