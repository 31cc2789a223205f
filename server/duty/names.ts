/** Staff display names for a page of rota or queue rows, in one query. */
import { trusted, Types } from 'mongoose';
import { User } from '../models/User';
import { WebhookEndpoint } from '../models/WebhookEndpoint';

export async function namesOf(ids: Iterable<unknown>): Promise<Map<string, string>> {
  const list = [...new Set([...ids].map(String))].filter((id) => Types.ObjectId.isValid(id) && /^[a-f0-9]{24}$/.test(id));
  if (list.length === 0) return new Map();
  const objectIds = trusted({ $in: list.map((id) => new Types.ObjectId(id)) });
  const [users, endpoints] = await Promise.all([User.find({ _id: objectIds }).select('name'), WebhookEndpoint.find({ _id: objectIds }).select('name')]);
  return new Map([...users.map((u) => [u.id as string, u.name] as const), ...endpoints.map((e) => [e.id as string, `Webhook: ${e.name}`] as const)]);
}
