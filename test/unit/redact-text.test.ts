import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REDACTED, redactRecord, redactText } from '../../src/redact/redact-text.js';

/**
 * [input, secret that must disappear, text that must remain]. Tokens are shaped like
 * the real formats but are not live credentials.
 */
const MASKED: Array<[string, string, string]> = [
  ['Authorization: Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9.eyJpc3MiOiJrdWJlcm5ldGVzIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ', 'eyJpc3MiOiJrdWJlcm5ldGVzIn0', 'Authorization: Bearer'],
  ['GET /api with header authorization=Basic dXNlcjpwYXNzd29yZDEyMw==', 'dXNlcjpwYXNzd29yZDEyMw', 'authorization='],
  ['curl -H "Authorization: token ghp_0123456789abcdefghijABCDEFGHIJ012345"', 'ghp_0123456789abcdefghijABCDEFGHIJ012345', 'curl -H'],
  ['sending request with Bearer sha256~Xk3mQ9vL2pR7tY1wZ5nB8cD4fG6hJ0kM', 'Xk3mQ9vL2pR7tY1wZ5nB8cD4fG6hJ0kM', 'sending request with Bearer'],
  ['jwt=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'jwt='],
  ['id_token eyJhbGciOiJSUzI1NiJ9.eyJlbWFpbCI6ImFAYi5jIn0.MEUCIQDx7s0l9a8b7c6d5e4f3', 'eyJlbWFpbCI6ImFAYi5jIn0', 'id_token'],
  ['AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPLE', 'AWS_ACCESS_KEY_ID='],
  ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key'],
  ['temporary creds ASIAY34FZKBOKMUTVV7A issued', 'ASIAY34FZKBOKMUTVV7A', 'temporary creds'],
  ['maps key AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY in url', 'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY', 'maps key'],
  ['-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1b2c3d4e5f6\nabcdef0123456789\n-----END RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA1b2c3d4e5f6', 'BEGIN RSA PRIVATE KEY'],
  ['tls.key: -----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIFq0z\n-----END PRIVATE KEY-----', 'MC4CAQAwBQYDK2VwBCIEIFq0z', 'tls.key'],
  ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmU', 'OPENSSH'],
  ['connecting to postgres://app:s3cr3tPassw0rd@db.prod.svc:5432/orders', 's3cr3tPassw0rd', 'postgres://app:'],
  ['redis url redis://default:Zr8vQ2xN@redis-master:6379/0', 'Zr8vQ2xN', 'redis-master:6379'],
  ['amqp://guest:guest123@rabbitmq.queue.svc:5672/', 'guest123', 'rabbitmq.queue.svc'],
  ['mongodb+srv://svc-user:pa%24%24w0rd@cluster0.abcde.mongodb.net/test', 'pa%24%24w0rd', 'cluster0.abcde.mongodb.net'],
  ['DB_PASSWORD=hunter2-prod', 'hunter2-prod', 'DB_PASSWORD='],
  ['password: "correct horse battery staple"', 'correct horse battery staple', 'password:'],
  ['{"user":"svc","password":"Tr0ub4dor&3"}', 'Tr0ub4dor&3', '"user":"svc"'],
  ["client_secret='9f8e7d6c5b4a39281706'", '9f8e7d6c5b4a39281706', 'client_secret='],
  ['api_key=sk_live_51HqLyjWDarjtT1zdp7dcXx', 'sk_live_51HqLyjWDarjtT1zdp7dcXx', 'api_key='],
  ['X-Api-Key: 5f2b8c1e9d3a47f6b0c2e8d1a9f3b7c4', '5f2b8c1e9d3a47f6b0c2e8d1a9f3b7c4', 'X-Api-Key'],
  ['slack token xoxb-2048-1024-a1B2c3D4e5F6g7H8i9J0kLmN rejected', 'xoxb-2048-1024-a1B2c3D4e5F6g7H8i9J0kLmN', 'rejected'],
  ['user token xoxp-1234567890-0987654321-1111-abcdefabcdefabcdef', 'xoxp-1234567890-0987654321-1111-abcdefabcdefabcdef', 'user token'],
  ['posting to https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', 'T00000000/B00000000', 'https://hooks.slack.com/services/'],
  ['OPENAI_API_KEY is sk-proj-AbCdEfGhIjKlMnOpQrStUvWx0123456789', 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWx0123456789', 'OPENAI_API_KEY is'],
  ['anthropic: sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz-0123456789', 'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz-0123456789', 'anthropic:'],
  ['clone with github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', 'clone with'],
  ['gitlab glpat-xYz123AbC456dEf789GhI0', 'glpat-xYz123AbC456dEf789GhI0', 'gitlab'],
  ['DefaultEndpointsProtocol=https;AccountName=prodstore;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq==;EndpointSuffix=core.windows.net', 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq', 'AccountName=prodstore'],
  ['https://prod.blob.core.windows.net/c/f?sv=2022-11-02&sig=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA%3D', 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA', 'sv=2022-11-02'],
  ['SENDGRID 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', 'TwL2iGABf9DHoTf-09kqeF8tAmbihYzrnopKc-1s5cr', 'SENDGRID'],
  ['refresh_token=1//0gLxY2pQ3rS4tU5vW6xY7zA8bC9dE0fG', '1//0gLxY2pQ3rS4tU5vW6xY7zA8bC9dE0fG', 'refresh_token='],
  ['Set-Cookie: session_id=a3f9c2e8b7d14a6f; Path=/', 'a3f9c2e8b7d14a6f', 'Path=/'],
  ['level=error msg="login failed" user=bob password=P@ssw0rd! attempt=3', 'P@ssw0rd!', 'attempt=3'],
];

/** Text that looks close to a secret but is not one; it must come back unchanged. */
const UNCHANGED: string[] = [
  'Bearer authentication failed for service account default',
  'the bearer of bad news',
  'max_tokens=4096 tokens=1523 token_count=12',
  'password_length=12 passwordless=true',
  'secretName: db-credentials',
  'valueFrom.secretKeyRef: {name: app-secrets, key: DB_PASSWORD}',
  'password=${DB_PASSWORD}',
  'password: <from-secret>',
  'password=******',
  'pass: true',
  'image: registry.example.com/api@sha256:3b0c7f3e1c7e2a9d8f6b5a4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e',
  'commit 4f1d2c3b5a6978e0d1c2b3a4958677e6f5d4c3b2 deployed',
  'request id 550e8400-e29b-41d4-a716-446655440000',
  '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----',
  'http://api.prod.svc:8080/healthz returned 503',
  'https://user@git.example.com/repo.git',
  'Back-off restarting failed container app in pod api-7d9f8c6b5-x2x4z',
  'disk-pressure-threshold=85 task-scheduler-1234567890abcdefghij',
  'token: 5',
  'AKIA is the prefix of AWS access keys',
];

describe('redactText', () => {
  for (const [input, secret, kept] of MASKED) {
    it(`masks ${JSON.stringify(secret.slice(0, 24))} and keeps ${JSON.stringify(kept)}`, () => {
      const output = redactText(input);
      assert.ok(!output.includes(secret), `secret still present in: ${output}`);
      assert.ok(output.includes(REDACTED), `no mask in: ${output}`);
      assert.ok(output.includes(kept), `context lost in: ${output}`);
    });
  }

  for (const input of UNCHANGED) {
    it(`leaves ${JSON.stringify(input.slice(0, 40))} unchanged`, () => {
      assert.equal(redactText(input), input);
    });
  }

  it('is idempotent: masking masked text changes nothing', () => {
    for (const [input] of MASKED) {
      const once = redactText(input);
      assert.equal(redactText(once), once);
    }
  });
});

describe('redactRecord', () => {
  it('masks values under secret-looking keys whole and redacts free text in the others', () => {
    const out = redactRecord({
      DB_PASSWORD: 'x',
      STRIPE_SECRET: 'plain-looking-value',
      DATABASE_URL: 'postgres://app:pw123456@db:5432/x',
      LOG_LEVEL: 'debug',
      MAX_TOKENS: '4096',
    });
    assert.deepEqual(out, {
      DB_PASSWORD: REDACTED,
      STRIPE_SECRET: REDACTED,
      DATABASE_URL: `postgres://app:${REDACTED}@db:5432/x`,
      LOG_LEVEL: 'debug',
      MAX_TOKENS: '4096',
    });
  });
});
