import { Types } from 'mongoose';

/**
 * An id as an ObjectId, for the driver calls that bypass mongoose's casting: an ObjectId as it
 * is, anything else through its string form (throws on what is not an id).
 */
export function asObjectId(id: unknown): Types.ObjectId {
  return id instanceof Types.ObjectId ? id : new Types.ObjectId(String(id));
}
