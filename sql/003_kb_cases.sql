-- requires: vector
-- The knowledge base (issue #7): incidents engineers judged with ✅ (validated) or ❌
-- (negative example with its correction), each with an embedding. Skipped without
-- pgvector; the rest of k8flex runs without it.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE kb_cases (
  id              uuid PRIMARY KEY,
  -- Re-validating an incident updates its case instead of adding another.
  incident_id     uuid UNIQUE REFERENCES incidents (id) ON DELETE SET NULL,
  alertname       text NOT NULL,
  severity        text,
  category        text NOT NULL,
  cluster         text NOT NULL,
  namespace       text,
  workload_kind   text,
  workload_name   text,
  title           text,
  root_cause      text NOT NULL,
  analysis        text NOT NULL,
  -- Redacted evidence items and the analyzers' findings, as stored with the analysis.
  evidence        jsonb NOT NULL DEFAULT '[]',
  findings        jsonb NOT NULL DEFAULT '[]',
  correction      text,
  verdict         text NOT NULL CHECK (verdict IN ('correct', 'incorrect')),
  validated_by    text,
  validated_at    timestamptz NOT NULL,
  -- The text that was embedded, so a case can be re-embedded with another model.
  embedded_text   text NOT NULL,
  -- Dimension-free column: each embedding model has its own dimension, and cases
  -- from different models are never compared (every search filters on the model).
  embedding       vector NOT NULL,
  embedding_model text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
-- HNSW needs a fixed dimension: one partial expression index per dimension in use.
-- 384 is the local embedder's; add one like it for another model's dimension.
CREATE INDEX kb_cases_embedding_384 ON kb_cases
  USING hnsw ((embedding::vector(384)) vector_cosine_ops) WHERE vector_dims(embedding) = 384;
CREATE INDEX kb_cases_scope ON kb_cases (embedding_model, cluster);

-- Cases confirmed correct, for people (no embeddings).
CREATE VIEW validated_cases AS
SELECT id, incident_id, alertname, severity, category, cluster, namespace, workload_kind, workload_name,
       root_cause, correction, validated_by, validated_at, embedding_model
FROM kb_cases
WHERE verdict = 'correct';
