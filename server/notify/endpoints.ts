/** An agency's active webhook endpoints, remembered for a few seconds per process (workers send in bursts). */
import { WebhookEndpoint } from '../models/WebhookEndpoint';

export class EndpointCache {
  private readonly entries = new Map<string, { loadedAt: number; ids: Promise<{ _id: unknown }[]> }>();
  constructor(readonly ttlMs: number) {}

  endpointsOf(agencyId: string): Promise<{ _id: unknown }[]> {
    const load = () => WebhookEndpoint.find({ agencyId, active: true }).select('_id').lean().then((rows) => rows.map((r) => ({ _id: r._id })));
    if (this.ttlMs <= 0) return load();
    const hit = this.entries.get(agencyId);
    if (hit && Date.now() - hit.loadedAt <= this.ttlMs) return hit.ids;
    const ids = load();
    ids.catch(() => this.entries.delete(agencyId));
    this.entries.set(agencyId, { loadedAt: Date.now(), ids });
    return ids;
  }
}
