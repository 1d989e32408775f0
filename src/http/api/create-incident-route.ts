import { Router } from 'express';
import { z } from 'zod';
import { InputError } from '../../errors.js';
import { describeZodError } from '../../intake/webhook-schema.js';
import { extractEntities, mergeEntities, type Entities } from '../../intake/extract-entities.js';
import type { ApiDeps } from './make-api-routers.js';
import { insertInvestigation } from './insert-investigation.js';

const K8S_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const WORKLOAD_KINDS: Record<string, NonNullable<Entities['workloadKind']>> = {
  deployment: 'Deployment',
  deploy: 'Deployment',
  statefulset: 'StatefulSet',
  sts: 'StatefulSet',
  daemonset: 'DaemonSet',
  ds: 'DaemonSet',
  job: 'Job',
  cronjob: 'CronJob',
};

const name = (what: string) => z.string().trim().max(253).regex(K8S_NAME, `${what}: must be a Kubernetes name (lower case, digits, '-', '.')`);

export const createIncidentBody = z.object({
  description: z.string().max(4000, 'description: at most 4000 characters').optional(),
  namespace: name('namespace').optional(),
  /** A workload name, or `kind/name` (deployment/checkout, sts/db). */
  workload: z
    .string()
    .trim()
    .max(300)
    .regex(/^(?:[A-Za-z]+\/)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'workload: a name or kind/name')
    .optional(),
  /** 'dashboard' investigations never post to Slack. */
  source: z.enum(['api', 'dashboard']).default('api'),
});

/** POST /incidents: start an investigation from a description or a namespace + workload. */
export function makeCreateIncidentRouter(deps: ApiDeps): Router {
  const router = Router();
  router.post('/incidents', async (req, res) => {
    if (!req.is('application/json')) throw new InputError('send a JSON body with Content-Type: application/json', 415);
    const parsed = createIncidentBody.safeParse(req.body ?? {});
    if (!parsed.success) throw new InputError(describeZodError(parsed.error));
    const body = parsed.data;
    const description = body.description?.trim() || null;
    if (!description && !body.namespace && !body.workload) {
      throw new InputError('description: required (or give namespace and workload)');
    }
    const idempotencyKey = req.get('idempotency-key')?.trim() || null;
    if (idempotencyKey && idempotencyKey.length > 200) throw new InputError('Idempotency-Key: at most 200 characters');

    let entities: Entities = description ? extractEntities(description) : {};
    if (description && deps.extractWithLlm) {
      const fromLlm = await deps.extractWithLlm(description).catch((err: unknown) => {
        deps.logger.warn({ err }, 'LLM entity extraction failed; using the rules alone');
        return null;
      });
      entities = mergeEntities(entities, fromLlm);
    }
    // Explicit fields win over anything read from the text.
    if (body.namespace) entities.namespace = body.namespace;
    if (body.workload) {
      const [kind, workloadName] = body.workload.includes('/') ? body.workload.split('/') : [undefined, body.workload];
      const workloadKind = kind ? WORKLOAD_KINDS[kind.toLowerCase()] : 'Deployment';
      if (!workloadKind) throw new InputError(`workload: unknown kind "${kind}"; use ${Object.keys(WORKLOAD_KINDS).join(', ')}`);
      entities.workload = workloadName;
      entities.workloadKind = workloadKind;
    }

    const result = await insertInvestigation(deps.pool, {
      source: body.source,
      cluster: deps.cluster,
      description:
        description ?? `Investigate ${entities.workloadKind ?? 'namespace'} ${[entities.namespace, entities.workload].filter(Boolean).join('/')}`,
      entities,
      idempotencyKey,
      maxAttempts: deps.config.JOB_MAX_ATTEMPTS,
    });
    if (result.created) deps.onJobsCreated();
    res.status(202).location(`/api/v1/incidents/${result.id}`).json({ incident_id: result.id });
  });
  return router;
}
