/** An alert travels from a linked encounter to a subscribed socket through the real workers. */
import { io as connect, type Socket } from 'socket.io-client';
import { startTestApp, type TestApp } from '../helpers/server';
import { buildApiClient, buildUser } from '../helpers/factories';
import { buildEncounter, buildScene } from '../helpers/people';
import { Alert } from '../../server/models/Alert';
import { AlertDelivery } from '../../server/models/AlertDelivery';
import { QUEUE_NAMES } from '../../workers/queues';

let app: TestApp;
const sockets: Socket[] = [];

beforeAll(async () => {
  app = await startTestApp('alerts_live', { workers: true });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await app.close();
});

async function openSocket(cookie: string): Promise<Socket> {
  const socket = connect(app.baseUrl, { transports: ['websocket'], extraHeaders: { Cookie: cookie, Origin: app.baseUrl }, reconnection: false, forceNew: true });
  sockets.push(socket);
  await new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(undefined));
    socket.once('connect_error', reject);
  });
  return socket;
}

describe('live alert delivery', () => {
  it('a new alert reaches a subscribed panel member once, with an id hint only', async () => {
    const scene = await buildScene();
    const member = await buildUser({ roles: ['panel_member'], agency: scene.police });
    const session = await app.as(member);
    const socket = await openSocket(session.cookie);
    const hints: { id: string; severity: string }[] = [];
    socket.on('alert:new', (h: { id: string; severity: string }) => hints.push(h));
    const first = new Promise<void>((resolve) => socket.once('alert:new', () => resolve()));

    const subject = { givenName: 'Live', familyName: 'Deliverton', dateOfBirth: '1979-07-07' };
    const quiet = { riskIndicators: [], occurredAt: new Date(Date.now() - 86_400_000) };
    const a = await buildEncounter(scene.police, subject, { ...quiet, kind: 'police_report' });
    await buildEncounter(scene.trust, subject, { ...quiet, kind: 'assessment' });
    // The third agency's record arrives from its system: link job → detection → outbox → socket.
    const { key } = await buildApiClient({ agency: scene.ae });
    await app
      .anon()
      .post('/api/ingest/encounters')
      .set('Authorization', `ApiKey ${key}`)
      .send({ externalRef: 'AE-LIVE-1', occurredAt: quiet.occurredAt.toISOString(), kind: 'ae_attendance', subject, categories: ['demographics', 'physical_health'] })
      .expect(201);
    await first;
    const alert = (await Alert.findById(hints[0].id))!;
    expect(String(alert.personId)).toBe(String(a.personId));
    expect(hints[0]).toEqual({ id: alert.id, severity: 'medium' });
    expect(Object.keys(hints[0]).sort()).toEqual(['id', 'severity']);

    // Asking again (a retried job) tells nobody twice.
    await app.runtime.ctx.queue(QUEUE_NAMES.alerts).add('notifyAlert', { alertId: alert.id, version: 1 }, { jobId: `notify-${alert.id as string}-1-again` });
    await new Promise((r) => setTimeout(r, 500));
    expect(hints.filter((h) => h.id === alert.id)).toHaveLength(1);
    expect(await AlertDelivery.countDocuments({ alertId: alert._id, recipient: member.user.id as string })).toBe(1);
  });
});
