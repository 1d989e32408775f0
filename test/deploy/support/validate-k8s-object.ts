import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as k8s from '@kubernetes/client-node';

/**
 * Offline schema check of built-in Kubernetes objects. `kubectl create --dry-run=client`
 * and `kubectl apply --validate` both need an API server for the OpenAPI document, so
 * we use the models @kubernetes/client-node generates from that same OpenAPI document:
 * each model's `attributeTypeMap` gives the field names and types, and its `.d.ts`
 * marks required fields (no `?`). Unknown fields, wrong types and missing required
 * fields are reported with their path. Enum values and formats are not checked.
 */

type Attribute = { name: string; baseName: string; type: string };
type Model = { getAttributeTypeMap(): Attribute[] };

const models = k8s as unknown as Record<string, Model | undefined>;
const modelsDir = join(dirname(createRequire(import.meta.url).resolve('@kubernetes/client-node')), 'gen', 'models');
const requiredCache = new Map<string, Set<string>>();

function requiredFields(modelName: string): Set<string> {
  let fields = requiredCache.get(modelName);
  if (!fields) {
    const dts = readFileSync(join(modelsDir, `${modelName}.d.ts`), 'utf8');
    fields = new Set([...dts.matchAll(/^ {4}'([^']+)': /gm)].map((m) => m[1] ?? ''));
    requiredCache.set(modelName, fields);
  }
  return fields;
}

/** `apps/v1` + `Deployment` → `V1Deployment`; undefined when client-node has no such model (a CRD). */
export function modelNameFor(apiVersion: string, kind: string): string | undefined {
  const version = apiVersion.split('/').pop() ?? '';
  const name = `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
  return models[name] ? name : undefined;
}

function checkValue(type: string, value: unknown, path: string, errors: string[]): void {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) errors.push(`${path}: expected a list`);
    else value.forEach((item, i) => checkValue(array[1] ?? '', item, `${path}[${i}]`, errors));
  } else if (map) {
    if (typeof value !== 'object' || Array.isArray(value)) errors.push(`${path}: expected a map`);
    else for (const [k, v] of Object.entries(value)) checkValue(map[1] ?? '', v, `${path}.${k}`, errors);
  } else if (type === 'string' || type === 'Date') {
    if (typeof value !== 'string') errors.push(`${path}: expected a string, got ${JSON.stringify(value)}`);
  } else if (type === 'number') {
    if (typeof value !== 'number') errors.push(`${path}: expected a number, got ${JSON.stringify(value)}`);
  } else if (type === 'boolean') {
    if (typeof value !== 'boolean') errors.push(`${path}: expected a boolean, got ${JSON.stringify(value)}`);
  } else if (type === 'IntOrString') {
    if (typeof value !== 'string' && typeof value !== 'number') errors.push(`${path}: expected an int or a string`);
  } else if (type === 'any' || type === 'object') {
    return;
  } else {
    checkModel(type, value, path, errors);
  }
}

function checkModel(modelName: string, value: unknown, path: string, errors: string[]): void {
  const model = models[modelName];
  if (!model) {
    errors.push(`${path}: no schema for ${modelName}`);
    return;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    errors.push(`${path}: expected an object (${modelName})`);
    return;
  }
  const attributes = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a]));
  const object = value as Record<string, unknown>;
  for (const [key, child] of Object.entries(object)) {
    const attribute = attributes.get(key);
    if (!attribute) errors.push(`${path}.${key}: unknown field of ${modelName}`);
    else checkValue(attribute.type, child, `${path}.${key}`, errors);
  }
  for (const required of requiredFields(modelName)) {
    const attribute = [...attributes.values()].find((a) => a.name === required);
    if (attribute && object[attribute.baseName] === undefined) errors.push(`${path}.${attribute.baseName}: required by ${modelName}`);
  }
}

/** Problems with one built-in object, empty when it matches its schema; throws for kinds client-node does not know. */
export function validateK8sObject(object: { apiVersion?: unknown; kind?: unknown }): string[] {
  const apiVersion = String(object.apiVersion);
  const kind = String(object.kind);
  const modelName = modelNameFor(apiVersion, kind);
  if (!modelName) throw new Error(`no built-in schema for ${apiVersion} ${kind}`);
  const errors: string[] = [];
  checkModel(modelName, object, kind, errors);
  return errors;
}
