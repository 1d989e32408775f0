import type { IncomingMessage } from 'node:http';
import type { KubeObject, ObjectStore } from './object-store.js';
import type { ResourceInfo } from './resources.js';

/**
 * Create (POST) and replace (PUT) for Leases, with the API server's optimistic
 * concurrency: a replace whose metadata.resourceVersion is not the stored one is a
 * 409 Conflict, a create of an existing name a 409 AlreadyExists. Only Leases are
 * writable: everything else k8flex touches it must only read.
 */
export type WriteReply = { status: number; body: unknown } | { status: number; error: string; details?: { name?: string; kind?: string } };

export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
}

export function writeLease(store: ObjectStore, method: 'POST' | 'PUT', resource: ResourceInfo, namespace: string | null, name: string | null, body: unknown): WriteReply {
  if (resource.kind !== 'Lease') return { status: 405, error: `the fake API server does not write ${resource.plural}` };
  // Clients may leave out apiVersion and kind; the path names the resource.
  const object = { ...(body as KubeObject), apiVersion: `${resource.group}/${resource.version}`, kind: resource.kind };
  const objectName = object.metadata?.name;
  if (!objectName) return { status: 400, error: 'metadata.name is required' };
  const details = { name: objectName, kind: resource.plural };
  const existing = store.get(resource, namespace, objectName);
  if (method === 'POST') {
    if (existing) return { status: 409, error: `${resource.plural} "${objectName}" already exists`, details };
    const { resourceVersion: _ignored, ...metadata } = object.metadata;
    return { status: 201, body: store.put({ ...object, metadata: { ...metadata, namespace: namespace ?? undefined } }) };
  }
  if (name !== objectName) return { status: 400, error: 'the name in the body does not match the name in the path' };
  if (!existing) return { status: 404, error: `${resource.plural} "${objectName}" not found`, details };
  if (object.metadata.resourceVersion !== existing.metadata.resourceVersion) {
    return { status: 409, error: `Operation cannot be fulfilled on ${resource.plural} "${objectName}": the object has been modified; please apply your changes to the latest version and try again`, details };
  }
  return { status: 200, body: store.put({ ...object, metadata: { ...object.metadata, namespace: namespace ?? undefined } }) };
}
