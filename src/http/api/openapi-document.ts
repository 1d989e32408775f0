import { INCIDENT_SOURCES, INCIDENT_STATUSES } from '../../domain/types.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const error = (description: string) => ({ description, ...json(ref('Error')) });
const AUTH_ERRORS = { '401': error('API_AUTH_TOKEN is set and the request has no valid bearer token or login cookie') };
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const q = (name: string, schema: unknown, description?: string) => ({ name, in: 'query', required: false, schema, ...(description ? { description } : {}) });
const nullableString = { type: ['string', 'null'] };
const items = (schema: unknown) => ({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: schema } } });

/**
 * The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json. A test
 * compares its paths with the routes the routers register and checks documented
 * status codes against real answers, so it stays true.
 */
export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'k8flex API',
    version: '1',
    description:
      'Kubernetes incident analyst. Authenticate with `Authorization: Bearer <API_AUTH_TOKEN>` (or the dashboard login cookie) when API_AUTH_TOKEN is set. Errors are `{"error": "<message>"}`.',
  },
  servers: [{ url: '/api/v1' }],
  security: [{ bearer: [] }, { cookie: [] }],
  paths: {
    '/incidents': {
      get: {
        summary: 'List incidents, newest first, with filters and cursor pagination',
        parameters: [
          q('status', { type: 'string', example: 'pending,investigating,failed' }, `one of ${INCIDENT_STATUSES.join(', ')}, or a comma-separated list`),
          q('category', { type: 'string' }),
          q('namespace', { type: 'string' }),
          q('source', { type: 'string', enum: [...INCIDENT_SOURCES] }),
          q('since', { type: 'string', format: 'date-time' }, 'only incidents created at or after this time'),
          q('q', { type: 'string' }, 'free text over alert name, namespace, workload, category and description'),
          q('limit', { type: 'integer', minimum: 1, maximum: 200, default: 50 }),
          q('cursor', { type: 'string' }, 'next_cursor of the previous page'),
        ],
        responses: {
          '200': { description: 'A page of incidents', ...json({ type: 'object', required: ['items', 'next_cursor'], properties: { items: { type: 'array', items: ref('Incident') }, next_cursor: nullableString } }) },
          '400': error('A filter or the cursor is malformed'),
          ...AUTH_ERRORS,
        },
      },
      post: {
        summary: 'Start an investigation from a description, or a namespace and workload',
        parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 }, description: 'the same key returns the same incident' }],
        requestBody: { required: true, ...json(ref('NewIncident')) },
        responses: {
          '202': { description: 'The incident was opened (or the Idempotency-Key was seen before) and will be investigated', ...json({ type: 'object', required: ['incident_id'], properties: { incident_id: { type: 'string', format: 'uuid' } } }) },
          '400': error('No description (nor namespace/workload), or a field is invalid'),
          '415': error('The body is not JSON'),
          ...AUTH_ERRORS,
        },
      },
    },
    '/incidents/{id}': {
      get: {
        summary: 'One incident with its alerts, evidence, findings, analysis, similar cases and feedback',
        parameters: [idParam],
        responses: {
          '200': { description: 'The incident', ...json(ref('IncidentDetail')) },
          '400': error('The id is not a UUID'),
          '404': error('No such incident'),
          ...AUTH_ERRORS,
        },
      },
    },
    '/incidents/{id}/stream': {
      get: {
        summary: 'The analysis as it is written, as Server-Sent Events',
        description:
          '`event: chunk` with `data: {"text": "..."}` (the text so far first, then each new piece); then one `event: done` with `data: {"status": "completed"|"failed", "error": string|null}`. A finished incident gets its stored text and `done` at once.',
        parameters: [idParam],
        responses: {
          '200': { description: 'An event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
          '400': error('The id is not a UUID'),
          '404': error('No such incident'),
          ...AUTH_ERRORS,
        },
      },
    },
    '/alerts': {
      get: {
        summary: 'Alerts as Alertmanager delivered them, most recently received first',
        parameters: [
          q('status', { type: 'string', enum: ['firing', 'resolved'] }),
          q('namespace', { type: 'string' }),
          q('alertname', { type: 'string' }),
          q('q', { type: 'string' }, 'free text over alert name, namespace and labels'),
          q('limit', { type: 'integer', minimum: 1, maximum: 500, default: 100 }),
        ],
        responses: { '200': { description: 'Alerts', ...json(items(ref('Alert'))) }, '400': error('A filter is malformed'), ...AUTH_ERRORS },
      },
    },
    '/rollouts': {
      get: {
        summary: 'Failed rollouts the watcher detected (empty until the rollout watcher is deployed)',
        parameters: [q('namespace', { type: 'string' }), q('q', { type: 'string' }), q('limit', { type: 'integer', minimum: 1, maximum: 200, default: 50 })],
        responses: { '200': { description: 'Rollouts, newest first; whole rows of the rollouts table', ...json(items({ type: 'object' })) }, '400': error('A filter is malformed'), ...AUTH_ERRORS },
      },
    },
    '/kb/cases': {
      get: {
        summary: 'Validated cases in the knowledge base, each with its verdict history',
        parameters: [
          q('q', { type: 'string' }, 'free text over every field of the case'),
          q('category', { type: 'string' }),
          q('namespace', { type: 'string' }),
          q('limit', { type: 'integer', minimum: 1, maximum: 200, default: 50 }),
        ],
        responses: {
          '200': { description: 'Cases (whole rows of kb_cases without embeddings) with `verdicts`', ...json(items({ type: 'object', required: ['verdicts'], properties: { verdicts: { type: 'array', items: { type: 'object' } } } })) },
          '400': error('A filter is malformed'),
          ...AUTH_ERRORS,
        },
      },
    },
    '/stats': {
      get: {
        summary: 'Incident counts and analysis accuracy by category',
        responses: { '200': { description: 'Statistics', ...json(ref('Stats')) }, ...AUTH_ERRORS },
      },
    },
    '/cluster/deployments': {
      get: {
        summary: 'Deployments with ready and desired replicas, from the Kubernetes API',
        parameters: [q('failing', { type: 'string', enum: ['true', 'false', '1', '0'] }, 'only Deployments that are not fully ready'), q('namespace', { type: 'string' })],
        responses: {
          '200': {
            description: 'Deployments; `available: false` with a notice when there is no cluster access',
            ...json({ type: 'object', required: ['available', 'notice', 'items'], properties: { available: { type: 'boolean' }, notice: nullableString, items: { type: 'array', items: ref('Deployment') } } }),
          },
          '400': error('A filter is malformed'),
          ...AUTH_ERRORS,
        },
      },
    },
    '/openapi.json': {
      get: { summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1', ...json({ type: 'object' }) } } },
    },
  },
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', description: 'API_AUTH_TOKEN' },
      cookie: { type: 'apiKey', in: 'cookie', name: 'k8flex_token', description: 'set by the dashboard login page' },
    },
    schemas: {
      Error: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
      NewIncident: {
        type: 'object',
        properties: {
          description: { type: 'string', maxLength: 4000, example: 'Pod auth-7d9f in namespace prod is OOMKilled' },
          namespace: { type: 'string' },
          workload: { type: 'string', description: 'a workload name or kind/name (deployment/checkout, sts/db)' },
          source: { type: 'string', enum: ['api', 'dashboard'], default: 'api', description: 'dashboard investigations never post to Slack' },
        },
      },
      Entities: {
        type: 'object',
        properties: { namespace: { type: 'string' }, pod: { type: 'string' }, workload: { type: 'string' }, workloadKind: { type: 'string' }, node: { type: 'string' }, service: { type: 'string' } },
      },
      Incident: {
        type: 'object',
        required: ['id', 'source', 'status', 'alertname', 'created_at'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          source: { type: 'string', enum: [...INCIDENT_SOURCES] },
          status: { type: 'string', enum: [...INCIDENT_STATUSES] },
          category: nullableString,
          category_confidence: { type: ['number', 'null'] },
          alertname: { type: 'string' },
          severity: nullableString,
          cluster: { type: 'string' },
          namespace: nullableString,
          workload: { type: ['object', 'null'], properties: { kind: { type: 'string' }, name: { type: 'string' } } },
          group_key: { type: 'string' },
          description: nullableString,
          entities: ref('Entities'),
          alert_count: { type: 'integer' },
          error: nullableString,
          created_at: { type: 'string', format: 'date-time' },
          started_at: { type: ['string', 'null'], format: 'date-time' },
          completed_at: { type: ['string', 'null'], format: 'date-time' },
          last_alert_at: { type: ['string', 'null'], format: 'date-time' },
          resolved_at: { type: ['string', 'null'], format: 'date-time' },
          slack: { type: 'object', properties: { channel: nullableString, permalink: nullableString, error: nullableString } },
        },
      },
      IncidentDetail: {
        allOf: [
          ref('Incident'),
          {
            type: 'object',
            required: ['alerts', 'analysis', 'findings', 'evidence', 'similar_cases', 'feedback', 'suggested_root_cause', 'confidence'],
            properties: {
              alerts: { type: 'array', items: { type: 'object' } },
              analysis: {
                type: ['object', 'null'],
                properties: { mode: { type: 'string' }, summary: { type: 'string' }, root_cause: { type: 'string' }, confidence: { type: 'string' }, text: { type: 'string' }, sections: { type: 'object' }, degraded: { type: 'array', items: { type: 'string' } } },
              },
              suggested_root_cause: nullableString,
              confidence: { type: ['string', 'null'], enum: ['high', 'medium', 'low', null] },
              findings: { type: 'array', items: { type: 'object' } },
              evidence: { type: ['object', 'null'], description: 'target, items (each with its source), missing, clusterReadable' },
              similar_cases: { type: 'array', items: { type: 'object' } },
              feedback: { type: 'array', items: { type: 'object' }, description: 'rows of the feedback table (empty until the learning loop is deployed)' },
            },
          },
        ],
      },
      Alert: {
        type: 'object',
        required: ['fingerprint', 'status', 'alertname', 'labels', 'annotations', 'starts_at'],
        properties: {
          id: { type: 'integer' },
          fingerprint: { type: 'string' },
          status: { type: 'string', enum: ['firing', 'resolved'] },
          alertname: { type: 'string' },
          namespace: nullableString,
          severity: nullableString,
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          annotations: { type: 'object', additionalProperties: { type: 'string' } },
          starts_at: { type: 'string', format: 'date-time' },
          ends_at: { type: ['string', 'null'], format: 'date-time' },
          incident_id: { type: ['string', 'null'], format: 'uuid' },
          receive_count: { type: 'integer' },
          last_received_at: { type: 'string', format: 'date-time' },
        },
      },
      Stats: {
        type: 'object',
        required: ['total', 'by_status', 'by_category', 'by_source', 'accuracy'],
        properties: {
          total: { type: 'integer' },
          by_status: { type: 'object', additionalProperties: { type: 'integer' } },
          by_category: { type: 'object', additionalProperties: { type: 'integer' } },
          by_source: { type: 'object', additionalProperties: { type: 'integer' } },
          accuracy: {
            type: 'object',
            required: ['available', 'by_category'],
            properties: {
              available: { type: 'boolean' },
              by_category: { type: 'array', items: { type: 'object', properties: { category: { type: 'string' }, correct: { type: 'integer' }, incorrect: { type: 'integer' }, accuracy: { type: ['number', 'null'] } } } },
            },
          },
        },
      },
      Deployment: {
        type: 'object',
        required: ['namespace', 'name', 'desired', 'ready', 'failing'],
        properties: {
          namespace: { type: 'string' },
          name: { type: 'string' },
          desired: { type: 'integer' },
          ready: { type: 'integer' },
          available: { type: 'integer' },
          updated: { type: 'integer' },
          problem: nullableString,
          failing: { type: 'boolean' },
        },
      },
    },
  },
} as const;
