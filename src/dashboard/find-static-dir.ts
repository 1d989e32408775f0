import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The dashboard's HTML, JS and CSS live in src/dashboard/static/ and are served as
 * they are (no build step). Under tsx that is next to this file; from the compiled
 * dist/ tree, tsc does not copy them, so they are read from the source tree.
 */
export function findStaticDir(here: string = import.meta.dirname): string {
  const candidates = [join(here, 'static'), join(here, '..', '..', '..', 'src', 'dashboard', 'static')];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) throw new Error(`dashboard assets not found (looked in ${candidates.join(', ')})`);
  return found;
}
