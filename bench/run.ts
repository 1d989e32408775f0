import { readdirSync, writeFileSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cpus, totalmem } from 'node:os';

type BenchModule = { run: () => Promise<{ title: string; markdown: string }> };

const here = dirname(fileURLToPath(import.meta.url));
const outFile = join(here, '..', 'docs', 'benchmarks.md');
const filter = process.argv[2];
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !filter || f.includes(filter))
  .sort();

// Sections are kept per module so a filtered run updates only its own section.
const sections = new Map<string, string>();
if (existsSync(outFile)) {
  const previous = readFileSync(outFile, 'utf8');
  for (const m of previous.matchAll(/<!-- bench:(\S+) -->\n([\s\S]*?)<!-- \/bench:\1 -->/g)) {
    sections.set(m[1] ?? '', m[2] ?? '');
  }
}

for (const file of files) {
  const name = file.replace(/\.bench\.ts$/, '');
  console.log(`running ${file}…`);
  const mod = (await import(pathToFileURL(join(here, file)).href)) as BenchModule;
  const { title, markdown } = await mod.run();
  sections.set(name, `## ${title}\n\n${markdown.trim()}\n\n`);
  console.log(markdown);
}

const header = [
  '# Benchmarks',
  '',
  `Produced by \`npm run bench\` (\`tsx bench/run.ts\`) on ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
  'Each section says how it was measured; rerun one with `npm run bench -- <name>`.',
  '',
].join('\n');
// Re-read just before writing: another bench run may have updated its own section meanwhile.
if (existsSync(outFile)) {
  const current = readFileSync(outFile, 'utf8');
  for (const m of current.matchAll(/<!-- bench:(\S+) -->\n([\s\S]*?)<!-- \/bench:\1 -->/g)) {
    const name = m[1] ?? '';
    if (!files.some((f) => f.replace(/\.bench\.ts$/, '') === name)) sections.set(name, m[2] ?? '');
  }
}
const body = [...sections.entries()]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([name, text]) => `<!-- bench:${name} -->\n${text}<!-- /bench:${name} -->`)
  .join('\n');
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, `${header}\n${body}\n`);
console.log(`wrote ${outFile}`);
