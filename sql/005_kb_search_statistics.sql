-- requires: vector
-- Knowledge base search is only served by the HNSW index when the planner knows how
-- many rows the search's filters keep. Without statistics it guesses 0.5% for each of
-- `vector_dims(embedding) = 384` and `embedding_model = $2`, expects a handful of rows,
-- and prefers reading them through kb_cases_scope and sorting: a full scan, since every
-- case has the same model. Column statistics come from ANALYZE; the dimension
-- expression needs a statistics object of its own. PGlite has no autovacuum, so
-- k8flex re-analyzes kb_cases itself as it grows (src/kb/analyze-cases-if-grown.ts).
CREATE STATISTICS kb_cases_embedding_dims ON (vector_dims(embedding)) FROM kb_cases;
ANALYZE kb_cases;
