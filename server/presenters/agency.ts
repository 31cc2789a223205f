import type { AgencyDoc } from '../models/Agency';

/** An agency as any signed-in user may see it (pickers, labels). */
export function presentAgency(a: AgencyDoc) {
  return { id: a.id as string, code: a.code, name: a.name, kind: a.kind };
}

/** An agency for a system admin: adds whether it is active. */
export function presentAgencyForAdmin(a: AgencyDoc) {
  return { ...presentAgency(a), active: a.active !== false };
}
