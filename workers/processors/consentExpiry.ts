/**
 * Raises a "consent expiring" task for the key worker before a person's effective consent runs
 * out, so it can be renewed while the person can still be asked. Idempotent: one task per consent.
 */
import { trusted } from 'mongoose';
import type { Processor } from '../context';
import { Consent } from '../../server/models/Consent';
import { User } from '../../server/models/User';
import { raiseTask } from '../../server/commands/taskRaiser';

/** How long before expiry the task is raised. */
export const CONSENT_NOTICE_DAYS = 14;

export const consentExpiry: Processor = async (_job, ctx) => {
  const now = new Date();
  const horizon = new Date(now.getTime() + CONSENT_NOTICE_DAYS * 86_400_000);
  const expiring = await Consent.find({ status: 'given', expiresAt: trusted({ $gt: now, $lte: horizon }) });
  let raised = 0;
  for (const consent of expiring) {
    // Only the consent that holds now matters: a later entry (renewed, withdrawn) supersedes it.
    const latest = await Consent.findOne({ personId: consent.personId, recordedAt: trusted({ $lte: now }) }).sort({ recordedAt: -1 });
    if (!latest || latest.id !== consent.id) continue;
    const recorder = await User.findById(consent.recordedBy);
    const assignee = recorder && !recorder.disabled && recorder.roles.includes('key_worker') ? recorder : null;
    const task = await raiseTask({
      kind: 'consent_expiring',
      agencyId: consent.recordedByAgency,
      assigneeUserId: assignee?._id ?? null,
      assigneeRole: assignee ? null : 'key_worker',
      subject: { type: 'consent', id: consent._id, personId: consent.personId },
      dedupeKey: `consent_expiring:${consent.id}`,
      dueAt: consent.expiresAt,
      realtime: ctx.realtime,
    });
    if (task.created) raised++;
  }
  return { checked: expiring.length, raised };
};
