import { readFile } from 'node:fs/promises';
import type { Queryable } from '../../db/make-pool.js';
import type { KnowledgeBase } from '../make-knowledge-base.js';
import { kbExport } from './kb-export.js';
import { kbImport } from './kb-import.js';
import { kbList } from './kb-list.js';
import { kbSearch } from './kb-search.js';

export const KB_USAGE = `usage: k8flex kb <command>
  search "<text>"     the 10 cases nearest to the text, with their similarity
  list [N]            the N newest cases (default 100)
  export              every case as JSON lines on stdout (no embeddings)
  import <file>       cases from an export ("-" reads stdin); re-embedded with EMBEDDINGS_*`;

export type KbCommandIo = {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Reads an import file; "-" is stdin. */
  read?: (path: string) => Promise<string>;
};

/** `k8flex kb <sub>` once the database is open. Returns the exit code. */
export async function runKbCommand(args: string[], deps: { db: Queryable; kb: KnowledgeBase }, io: KbCommandIo): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'search': {
      const text = rest.join(' ');
      if (!text.trim()) return usage(io, 'kb search needs the text to search for');
      await kbSearch(deps.kb, text, io.stdout);
      return 0;
    }
    case 'list': {
      const limit = rest[0] === undefined ? 100 : Number(rest[0]);
      if (!Number.isInteger(limit) || limit < 1) return usage(io, `kb list: "${rest[0]}" is not a positive whole number`);
      await kbList(deps.db, io.stdout, limit);
      return 0;
    }
    case 'export': {
      const n = await kbExport(deps.db, io.stdout);
      io.stderr.write(`exported ${n} cases\n`);
      return 0;
    }
    case 'import': {
      const path = rest[0];
      if (!path) return usage(io, 'kb import needs a file (or - for stdin)');
      const text = await (io.read ?? readInput)(path);
      const result = await kbImport(deps, text);
      for (const e of result.errors) io.stderr.write(`${path}: ${e}\n`);
      if (result.errors.length > 0) {
        io.stderr.write('nothing imported: fix the lines above and import again\n');
        return 1;
      }
      io.stderr.write(`imported ${result.imported} cases (re-embedded with ${deps.kb.model})\n`);
      return 0;
    }
    default:
      return usage(io, sub ? `unknown kb command ${sub}` : null);
  }
}

function usage(io: KbCommandIo, problem: string | null): number {
  io.stderr.write(`${problem ? `${problem}\n` : ''}${KB_USAGE}\n`);
  return 2;
}

async function readInput(path: string): Promise<string> {
  if (path !== '-') return readFile(path, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
