import { execFileSync } from 'node:child_process';
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

/** `kubectl kustomize` on deploy/<path>, rendered once per test file. */
const rendered = new Map<string, K8sObject[]>();

export function renderKustomize(path: string): K8sObject[] {
  let objects = rendered.get(path);
  if (!objects) {
    objects = parseAll(execFileSync('kubectl', ['kustomize', join(DEPLOY_DIR, path)], { encoding: 'utf8' }));
    rendered.set(path, objects);
  }
  return structuredClone(objects);
}

export function findOne(objects: K8sObject[], kind: string, name?: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0] as K8sObject;
}
