import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
};

export const DEPLOY_DIR = join(import.meta.dirname, '..', '..', '..', 'deploy');

/** Parses a multi-document YAML stream, dropping empty documents. */
export function parseAll(text: string): K8sObject[] {
  return yaml.loadAll(text).filter((d): d is K8sObject => d !== null && typeof d === 'object');
}

/**
 * `kubectl kustomize` on deploy/<path>. Until deploy/base/rbac-watcher.yaml (owned
 * by the rollout-watcher work) exists, the tree is rendered from a temporary copy
 * with an empty one so the rest can still be checked; `watcherRbacPresent` says which.
 */
const rendered = new Map<string, K8sObject[]>();

export function renderKustomize(path: string): K8sObject[] {
  let objects = rendered.get(path);
  if (!objects) {
    objects = renderOnce(path);
    rendered.set(path, objects);
  }
  return structuredClone(objects);
}

function renderOnce(path: string): K8sObject[] {
  if (existsSync(join(DEPLOY_DIR, 'base', 'rbac-watcher.yaml'))) {
    return parseAll(execFileSync('kubectl', ['kustomize', join(DEPLOY_DIR, path)], { encoding: 'utf8' }));
  }
  const copy = mkdtempSync(join(tmpdir(), 'k8flex-deploy-'));
  try {
    cpSync(DEPLOY_DIR, copy, { recursive: true });
    writeFileSync(join(copy, 'base', 'rbac-watcher.yaml'), '');
    return parseAll(execFileSync('kubectl', ['kustomize', join(copy, path)], { encoding: 'utf8' }));
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

export const watcherRbacPresent = (): boolean => existsSync(join(DEPLOY_DIR, 'base', 'rbac-watcher.yaml'));

export function findOne(objects: K8sObject[], kind: string, name?: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0] as K8sObject;
}
