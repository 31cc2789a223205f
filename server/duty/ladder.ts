/**
 * The escalation ladder of escalation.json as a list of steps. Step 0 is the first routing (level
 * 1); each later step is one escalation, tried when the previous step's deadline passes
 * unacknowledged. An alert's `escalations.length` is the index of the step it is at, so "do step
 * k" is a state-guarded update on `escalations: {$size: k - 1}`: it happens once, whoever tries.
 */
import { domainConfig, riskLevelRank, type EscalationConfig, type EscalationLevel, type Severity } from '../../config/domain';

/** One rung on one pass of the ladder. */
export interface Step {
  index: number;
  /** 0 on the first pass, 1.. on repeats (escalation.json `repeat.times`). */
  round: number;
  level: EscalationLevel;
}

/** Every step, in order. */
export function ladder(config: EscalationConfig): Step[] {
  const levels = [...config.levels].sort((a, b) => a.rank - b.rank);
  const steps: Step[] = levels.map((level, i) => ({ index: i, round: 0, level }));
  const restart = levels.findIndex((l) => l.id === config.repeat.restartAtLevel);
  for (let round = 1; round <= config.repeat.times; round++) {
    for (const level of levels.slice(Math.max(0, restart))) steps.push({ index: steps.length, round, level });
  }
  return steps;
}

/** The BullMQ job id of the delayed job that tries a step (alert id + round + level). */
export function stepJobId(alertId: string, step: Pick<Step, 'round' | 'level'>): string {
  return `escalate-${alertId}-r${step.round}-${step.level.id}`;
}

/** The job id of the n-th "acknowledged but nothing done" reminder. */
export function reNotifyJobId(alertId: string, n: number): string {
  return `renotify-${alertId}-${n}`;
}

/** How long a step has to be acknowledged, in ms; null when the severity has no deadline. */
export function ackDeadlineMs(config: EscalationConfig, severity: Severity | string): number | null {
  const minutes = config.ackDeadlineMinutes[severity as Severity];
  return minutes === null || minutes === undefined ? null : minutes * 60_000;
}

/** How long after acknowledgement with nothing done before a reminder, in ms; null = never. */
export function reNotifyAfterMs(config: EscalationConfig, severity: Severity | string): number | null {
  const minutes = config.reNotifyAfterAckMinutes[severity as Severity];
  return minutes === null || minutes === undefined ? null : minutes * 60_000;
}

/** Whether an alert of this severity goes to the on-call duty manager when raised out of hours. */
export function routedOutOfHours(config: EscalationConfig, severity: string): boolean {
  const taxonomy = domainConfig().taxonomy;
  return riskLevelRank(taxonomy, severity) >= riskLevelRank(taxonomy, config.outOfHoursMinSeverity);
}

/** Most reminders sent for one acknowledged alert that nobody acts on. */
export const MAX_RENOTIFY = 3;
