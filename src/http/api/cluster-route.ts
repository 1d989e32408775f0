import { Router } from 'express';
import { z } from 'zod';
import { InputError } from '../../errors.js';
import { describeZodError } from '../../intake/webhook-schema.js';
import type { Logger } from '../../observability/logger.js';
import type { DeploymentSummary } from './deployment-summary.js';

const query = z.object({
  failing: z.enum(['true', 'false', '1', '0']).optional(),
  namespace: z.string().max(253).optional(),
});

export const NO_CLUSTER_NOTICE =
  'No Kubernetes access is configured (set KUBECONFIG, or run in a cluster with a service account); the cluster view is empty.';

/**
 * GET /cluster/deployments — Deployments with ready/desired replicas. Without cluster
 * access, or when the API cannot be read, the answer says so (`available: false` and
 * a notice) instead of failing: the dashboard shows the notice.
 */
export function makeClusterRouter(deps: { listDeployments?: () => Promise<DeploymentSummary[]>; logger: Logger }): Router {
  const router = Router();
  router.get('/cluster/deployments', async (req, res) => {
    const parsed = query.safeParse(req.query);
    if (!parsed.success) throw new InputError(describeZodError(parsed.error));
    if (!deps.listDeployments) return void res.json({ available: false, notice: NO_CLUSTER_NOTICE, items: [] });
    let items: DeploymentSummary[];
    try {
      items = await deps.listDeployments();
    } catch (err) {
      deps.logger.warn({ err }, 'listing Deployments failed');
      return void res.json({ available: false, notice: `The Kubernetes API could not be read: ${(err as Error).message}`, items: [] });
    }
    const onlyFailing = parsed.data.failing === 'true' || parsed.data.failing === '1';
    const ns = parsed.data.namespace;
    res.json({
      available: true,
      notice: null,
      items: items
        .filter((d) => (!onlyFailing || d.failing) && (!ns || d.namespace === ns))
        .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name)),
    });
  });
  return router;
}
