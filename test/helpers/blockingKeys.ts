/**
 * Stored encounters made to look as if they were keyed before the blocking keys were extended
 * (for the re-key tests): only the values of the first OLD_KEY_COUNT keys, and an old version or
 * none.
 */
import { Types } from 'mongoose';
import { Encounter } from '../../server/models/Encounter';

/** How many blocking keys there were before the list was extended. */
export const OLD_KEY_COUNT = 18;

/** The values of the first `count` keys only (each value starts with its key's position). */
export const firstKeys = (values: string[], count = OLD_KEY_COUNT) => values.filter((v) => Number(v.split('|')[0]) < count);

/** Makes a stored record look as if it was stored under the first 18 keys, with `version` ('unset': before versions were kept). */
export async function makeStale(id: unknown, version: string | null | 'unset' = 'unset'): Promise<void> {
  const _id = new Types.ObjectId(String(id));
  const e = (await Encounter.collection.findOne({ _id }))!;
  const $set = { blockingKeys: firstKeys(e.blockingKeys as string[]) };
  const update = version === 'unset' ? { $set, $unset: { blockingVersion: '' } } : { $set: { ...$set, blockingVersion: version } };
  await Encounter.collection.updateOne({ _id }, update);
}
