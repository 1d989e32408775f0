import type { SlackReaction } from '../slack/slack-client.js';

/** Slack reaction names (without colons, skin tones stripped) that carry a verdict. */
export const REACTION_VERDICTS = {
  white_check_mark: 'correct',
  heavy_check_mark: 'correct',
  '+1': 'correct',
  x: 'incorrect',
  negative_squared_cross_mark: 'incorrect',
  '-1': 'incorrect',
} as const satisfies Record<string, 'correct' | 'incorrect'>;

export type Verdict = (typeof REACTION_VERDICTS)[keyof typeof REACTION_VERDICTS];

/** The verdict reactions one person currently has on a message (null: none of that kind). */
export type HeldReactions = { correct: string | null; incorrect: string | null };

export function verdictOfReaction(name: string): Verdict | null {
  const base = name.replace(/::skin-tone-\d$/, '');
  return base in REACTION_VERDICTS ? REACTION_VERDICTS[base as keyof typeof REACTION_VERDICTS] : null;
}

/** Who holds which verdict reaction, from reactions.get; `ignoreUsers` (the bot) never votes. */
export function heldFromReactions(reactions: SlackReaction[], ignoreUsers: ReadonlySet<string> = new Set()): Record<string, HeldReactions> {
  const held: Record<string, HeldReactions> = {};
  for (const r of reactions) {
    const verdict = verdictOfReaction(r.name);
    if (!verdict) continue;
    for (const user of r.users) {
      if (ignoreUsers.has(user)) continue;
      const h = (held[user] ??= { correct: null, incorrect: null });
      h[verdict] ??= r.name;
    }
  }
  return held;
}
