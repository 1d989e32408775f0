import { Router } from 'express';
import type pg from 'pg';
import { tableColumns, VERDICT_SQL } from './optional-table.js';

type Count = { key: string | null; n: string };

/**
 * GET /stats — incident counts by status, category and source, and the accuracy of
 * analyses by category from engineers' feedback (`accuracy.available` is false until
 * the learning loop's feedback table exists).
 */
export function makeStatsRouter(deps: { pool: pg.Pool }): Router {
  const router = Router();
  router.get('/stats', async (_req, res) => {
    const countBy = async (column: 'status' | 'category' | 'source') => {
      const r = await deps.pool.query<Count>(`SELECT ${column} AS key, count(*) AS n FROM incidents GROUP BY 1 ORDER BY 2 DESC, 1`);
      return Object.fromEntries(r.rows.map((x) => [x.key ?? 'uncategorized', Number(x.n)]));
    };
    // Sequential on purpose: the embedded database interleaves concurrent statements badly.
    const byStatus = await countBy('status');
    const byCategory = await countBy('category');
    const bySource = await countBy('source');
    const accuracy = await accuracyByCategory(deps.pool);
    res.json({
      total: Object.values(byStatus).reduce((a, b) => a + b, 0),
      by_status: byStatus,
      by_category: byCategory,
      by_source: bySource,
      accuracy,
    });
  });
  return router;
}

type AccuracyRow = { category: string | null; correct: string; incorrect: string };

/**
 * Each incident counts once, with its current verdict (feedback_state, so a changed
 * mind counts as its latest verdict); without that table, every feedback row counts.
 */
async function accuracyByCategory(pool: pg.Pool) {
  const state = await tableColumns(pool, 'feedback_state');
  const columns = state?.has('verdict') && state.has('incident_id') ? null : await tableColumns(pool, 'feedback');
  if (!state?.has('verdict') && !columns?.has('incident_id')) return { available: false, by_category: [] };
  const r = await pool.query<AccuracyRow>(
    columns === null
      ? `SELECT i.category,
                count(*) FILTER (WHERE s.verdict = 'correct') AS correct,
                count(*) FILTER (WHERE s.verdict = 'incorrect') AS incorrect
         FROM feedback_state s JOIN incidents i ON i.id = s.incident_id
         WHERE s.verdict IN ('correct', 'incorrect')
         GROUP BY i.category ORDER BY i.category`
      : 
    `SELECT i.category,
            count(*) FILTER (WHERE v.verdict = 'correct') AS correct,
            count(*) FILTER (WHERE v.verdict = 'incorrect') AS incorrect
     FROM feedback f
     JOIN incidents i ON i.id = f.incident_id
     CROSS JOIN LATERAL (SELECT ${VERDICT_SQL('f')} AS verdict) v
     WHERE v.verdict IS NOT NULL
     GROUP BY i.category ORDER BY i.category`,
  );
  return {
    available: true,
    by_category: r.rows.map((x) => {
      const correct = Number(x.correct);
      const incorrect = Number(x.incorrect);
      return { category: x.category ?? 'uncategorized', correct, incorrect, accuracy: correct + incorrect > 0 ? correct / (correct + incorrect) : null };
    }),
  };
}
