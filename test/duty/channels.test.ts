import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import mongoose from 'mongoose';
import { Redis } from 'ioredis';
import '../../server/store/connection';
import { testDbUri } from '../helpers/db';
import { cleanupPrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis';
import { directContext } from '../helpers/workerContext';
import { closeRedis } from '../../server/redis';
import { createLogger } from '../../server/logger';
import { encryptField } from '../../server/auth/secrets';
import { AlertDelivery, type AlertDeliveryDoc } from '../../server/models/AlertDelivery';
import { Alert } from '../../server/models/Alert';
import { WebhookEndpoint } from '../../server/models/WebhookEndpoint';
import { routeAlert } from '../../server/duty/router';
import { resolveDuty, type DutyOptions } from '../../server/duty/options';
import { closeTransports } from '../../server/notify/send';
import { signWebhook, verifyWebhookSignature } from '../../server/notify/signature';
import { startWorkers, type RunningWorkers } from '../../workers/runtime';
import { escalationProcessors } from '../../workers/processors/escalation';
import { QUEUE_NAMES } from '../../workers/queues';
import { buildEncounter } from '../helpers/people';
import { buildDutyAlert, clockFrom, dutyScene, recordingRealtime, until } from './helpers';

const prefix = uniquePrefix('duty_channels');
const redis = new Redis(TEST_REDIS_URL);
const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
const ctx = directContext({ redis, logger: createLogger('silent'), redisPrefix: prefix });
const FIELD_SECRET = 'channels-test-field-secret-0123456789abcdef';
const SECRET = 'whsec_test_signing_secret';

/** A real SMTP server that refuses the first message with a temporary error. */
const mails: { to: string[]; raw: string }[] = [];
let smtpAttempts = 0;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    let raw = '';
    stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    stream.on('end', () => {
      smtpAttempts++;
      if (smtpAttempts === 1) {
        const err = Object.assign(new Error('Try again later'), { responseCode: 451 });
        return callback(err);
      }
      mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
      callback();
    });
  },
});

/** A receiver that checks every signature and fails the first two deliveries with 503. */
const received: { valid: boolean; body: string; headers: http.IncomingHttpHeaders; at: number }[] = [];
let failFirst = 2;
const receiver = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString('utf8')));
  req.on('end', () => {
    const valid = verifyWebhookSignature(SECRET, { signature: req.headers['x-ccw-signature'] as string, timestamp: req.headers['x-ccw-timestamp'] as string }, body);
    received.push({ valid, body, headers: req.headers, at: Date.now() });
    if (!valid) return res.writeHead(401).end();
    if (req.url === '/always-down') return res.writeHead(500).end();
    if (failFirst > 0) {
      failFirst--;
      return res.writeHead(503).end();
    }
    res.writeHead(204).end();
  });
});

let workers: RunningWorkers;
let options: DutyOptions;
let receiverUrl: string;

beforeAll(async () => {
  await mongoose.connect(testDbUri('duty_channels'));
  await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  options = {
    now: clockFrom('2026-06-13T01:10:00Z'),
    settings: { publicUrl: 'https://ccw.example.test', smtpUrl: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`, mailFrom: 'Duty <duty@ccw.example.test>', fieldSecret: FIELD_SECRET },
    email: { attempts: 3, backoffMs: 200 },
    webhook: { attempts: 4, backoffMs: 200, timeoutMs: 2000 },
  };
  workers = await startWorkers({
    registry: [{ queue: QUEUE_NAMES.escalation, concurrency: 4, processors: escalationProcessors(options) }],
    connection,
    ctx: { redis, logger: createLogger('silent'), redisPrefix: prefix },
  });
});
afterAll(async () => {
  await workers?.close(5000);
  closeTransports();
  await new Promise<void>((r) => smtp.close(() => r()));
  await new Promise<void>((r) => receiver.close(() => r()));
  await ctx.closeQueues();
  await closeRedis(connection);
  await closeRedis(redis);
  await cleanupPrefix(prefix);
  await mongoose.connection.dropDatabase().catch(() => undefined);
  await mongoose.disconnect();
});

const deps = () => ({ queue: ctx.queue, realtime: recordingRealtime(), duty: resolveDuty(options) });

describe('email over SMTP', () => {
  it('sends the on-call duty manager an email with the link and severity only, retrying a temporary refusal, and records it as sent', async () => {
    const { agency, dm } = await dutyScene();
    const alert = await buildDutyAlert(agency);
    const encounter = await buildEncounter(agency, { givenName: 'Zebedee', familyName: 'Quillfeather', dateOfBirth: '1984-02-29', postcode: 'ZZ1 9QQ' });
    await Alert.updateOne({ _id: alert._id }, { $set: { evidence: [encounter._id] } });
    await routeAlert(deps(), alert.id);

    const row = await until<AlertDeliveryDoc>(async () => await AlertDelivery.findOne({ alertId: alert._id, channel: 'email', status: 'sent' }), 15_000, 'email sent');
    expect(row).toMatchObject({ recipient: dm.user.id, reason: 'routed', attempts: 2, lastError: null });
    expect(row.sentAt).toBeInstanceOf(Date);
    const mail = mails.find((m) => m.to.includes(dm.user.email));
    expect(mail).toBeDefined();
    const raw = (mail?.raw ?? '').replace(/=\r?\n/g, ''); // undo quoted-printable soft breaks
    expect(raw).toContain('Subject: [HIGH] Crisis care alert needs attention');
    expect(raw).toContain(`https://ccw.example.test/alerts/${alert.id}`);
    expect(raw).toContain('Severity: HIGH');
    expect(raw).toContain('Acknowledge by: 02:25 BST, Sat 13 Jun 2026');
    for (const personal of ['Zebedee', 'Quillfeather', '1984', 'ZZ1']) expect(raw).not.toContain(personal);
  }, 30_000);

  it('creates no email deliveries when no SMTP server is configured', async () => {
    const { agency } = await dutyScene();
    const alert = await buildDutyAlert(agency);
    await routeAlert({ ...deps(), duty: resolveDuty({ ...options, settings: { ...options.settings, smtpUrl: undefined } }) }, alert.id);
    expect(await AlertDelivery.countDocuments({ alertId: alert._id, channel: 'email' })).toBe(0);
    expect(await AlertDelivery.countDocuments({ alertId: alert._id, channel: 'in_app' })).toBe(1);
  });
});

describe('signed webhook', () => {
  it('signs every attempt, retries with backoff past two failures, and records the delivery', async () => {
    const { agency, dm } = await dutyScene();
    const endpoint = await WebhookEndpoint.create({ agencyId: agency._id, name: 'Pager', url: `${receiverUrl}/hook`, secretEnc: encryptField(FIELD_SECRET, SECRET), secretHint: SECRET.slice(0, 10), createdBy: dm.user._id });
    const alert = await buildDutyAlert(agency);
    const before = received.length;
    await routeAlert(deps(), alert.id);

    const row = await until<AlertDeliveryDoc>(async () => await AlertDelivery.findOne({ alertId: alert._id, channel: 'webhook', status: 'delivered' }), 20_000, 'webhook delivered');
    expect(row).toMatchObject({ recipient: endpoint.id, attempts: 3, lastError: null });
    expect(row.deliveredAt).toBeInstanceOf(Date);
    const mine = received.slice(before);
    expect(mine).toHaveLength(3);
    expect(mine.every((r) => r.valid)).toBe(true);
    expect(new Set(mine.map((r) => r.headers['x-ccw-delivery']))).toEqual(new Set([row.id]));
    const body = JSON.parse(mine[2].body);
    expect(body).toEqual({
      type: 'alert.notification', deliveryId: row.id, alertId: alert.id, severity: 'high', reason: 'routed', level: 1,
      deadline: expect.any(String), link: `https://ccw.example.test/alerts/${alert.id}`, userIds: [dm.user.id],
    });
    // Exponential backoff: the third attempt came at least 200 + 400 ms after the first.
    expect(mine[2].at - mine[0].at).toBeGreaterThanOrEqual(600);
  }, 30_000);

  it('marks a delivery failed with the last error code once the retries run out', async () => {
    const { agency, dm } = await dutyScene();
    await WebhookEndpoint.create({ agencyId: agency._id, name: 'Down', url: `${receiverUrl}/always-down`, secretEnc: encryptField(FIELD_SECRET, SECRET), secretHint: 'x', createdBy: dm.user._id });
    const alert = await buildDutyAlert(agency);
    await routeAlert(deps(), alert.id);
    const row = await until<AlertDeliveryDoc>(async () => await AlertDelivery.findOne({ alertId: alert._id, channel: 'webhook', status: 'failed' }), 20_000, 'webhook failed');
    expect(row).toMatchObject({ attempts: 4, lastError: 'http_500' });
  }, 30_000);

  it('lets a receiver refuse a tampered body or a stale timestamp', () => {
    const ts = Math.floor(Date.now() / 1000);
    const signature = signWebhook(SECRET, ts, '{"a":1}');
    expect(verifyWebhookSignature(SECRET, { signature, timestamp: String(ts) }, '{"a":1}')).toBe(true);
    expect(verifyWebhookSignature(SECRET, { signature, timestamp: String(ts) }, '{"a":2}')).toBe(false);
    expect(verifyWebhookSignature('another secret', { signature, timestamp: String(ts) }, '{"a":1}')).toBe(false);
    const old = ts - 3600;
    expect(verifyWebhookSignature(SECRET, { signature: signWebhook(SECRET, old, '{"a":1}'), timestamp: String(old) }, '{"a":1}')).toBe(false);
  });
});
