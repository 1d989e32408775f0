import { resourceByPlural, type ResourceInfo } from './resources.js';

/**
 * A REST path split into its parts:
 * `/api/v1/namespaces/prod/pods/web-1/log` → pods, namespace prod, name web-1, subresource log.
 * `/api/v1/namespaces/prod` is the Namespace object `prod` itself.
 */
export type ApiPath = { resource: ResourceInfo; namespace: string | null; name: string | null; subresource: string | null };

export function parseApiPath(pathname: string): ApiPath | null {
  const segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments[1]) {
    group = '';
    version = segments[1];
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments[1] && segments[2]) {
    group = segments[1];
    version = segments[2];
    rest = segments.slice(3);
  } else return null;

  let namespace: string | null = null;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1] ?? null;
    rest = rest.slice(2);
  }
  const [plural, name, subresource] = rest;
  if (!plural || rest.length > 3) return null;
  const resource = resourceByPlural(group, version, plural);
  if (!resource) return null;
  return { resource, namespace, name: name ?? null, subresource: subresource ?? null };
}
