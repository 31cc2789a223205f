/**
 * A conference scene: police (the chair's agency), a mental-health trust and A&E under one
 * agreement covering risk panels; housing outside it. One person known to police and the trust,
 * who gave consent to share risk information with the panel. Plus socket clients that join a
 * room and keep its messages the way the room page does (client/src/conferences/messageLog.ts).
 */
import { randomBytes } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import type { Types } from 'mongoose';
import { buildUser, type BuiltUser } from '../helpers/factories';
import { buildEncounter, buildScene } from '../helpers/people';
import type { SignedIn, TestApp } from '../helpers/server';
import { Consent } from '../../server/models/Consent';
import { MessageLog } from '../../client/src/conferences/messageLog';

export type Scene = Awaited<ReturnType<typeof buildScene>>;

/** The scene, its person (with consent given to the panel) and one user per agency. */
export async function buildConferenceScene() {
  const scene = await buildScene();
  // A date of birth of its own, so people of different scenes never link to each other.
  const [y, m, d] = randomBytes(3);
  const dateOfBirth = `${1940 + (y % 60)}-${String(1 + (m % 12)).padStart(2, '0')}-${String(1 + (d % 28)).padStart(2, '0')}`;
  const subject = { givenName: 'Robin', familyName: `Hale${randomBytes(3).toString('hex')}`, dateOfBirth };
  const first = await buildEncounter(scene.police, subject, { kind: 'police_report', categories: ['demographics', 'risk'] });
  await buildEncounter(scene.trust, subject);
  const personId = first.personId as Types.ObjectId;
  const chair = await buildUser({ roles: ['panel_chair'], agency: scene.police });
  const trustMember = await buildUser({ roles: ['panel_member'], agency: scene.trust });
  const aeMember = await buildUser({ roles: ['panel_member'], agency: scene.ae });
  const housingMember = await buildUser({ roles: ['panel_member'], agency: scene.housing });
  await giveConsent(personId, chair, scene.police._id as Types.ObjectId);
  return { ...scene, personId, chair, trustMember, aeMember, housingMember };
}

/** Consent to share risk information with every agency on the panel. */
export async function giveConsent(personId: Types.ObjectId, by: BuiltUser, agencyId: Types.ObjectId, scope: { allPanel?: boolean; agencies?: Types.ObjectId[] } = {}) {
  return Consent.create({
    personId,
    status: 'given',
    scope: { allPanel: scope.allPanel ?? !scope.agencies, agencies: scope.agencies ?? [], purposes: ['risk_panel', 'direct_care'], categories: ['risk', 'demographics', 'mental_health'] },
    evidence: 'Signed form',
    recordedBy: by.user._id,
    recordedByAgency: agencyId,
    recordedAt: new Date(Date.now() - 60_000),
  });
}

/** Creates a conference as the chair, invites the members, and (unless told not to) starts it. */
export async function liveConference(chair: SignedIn, personId: unknown, members: BuiltUser[], options: { start?: boolean } = {}): Promise<string> {
  const res = await chair.post('/api/conferences', {
    title: 'Risk panel',
    scheduledFor: new Date(Date.now() + 3_600_000).toISOString(),
    personId: String(personId),
    agenda: ['Introductions', 'Risk review'],
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  const id = (res.body as { conference: { id: string } }).conference.id;
  for (const m of members) {
    const inv = await chair.post(`/api/conferences/${id}/participants`, { userId: m.user.id });
    if (inv.status !== 201) throw new Error(`invite failed: ${inv.status} ${JSON.stringify(inv.body)}`);
  }
  if (options.start !== false) {
    const started = await chair.post(`/api/conferences/${id}/start`);
    if (started.status !== 200) throw new Error(`start failed: ${started.status} ${JSON.stringify(started.body)}`);
  }
  return id;
}

export interface Ack {
  ok: boolean;
  code?: string;
  message?: string;
  [key: string]: unknown;
}

export interface RoomMessage {
  seq: number;
  id: string;
  body: string | null;
  kind: string;
  clientId: string | null;
  authorId: string | null;
  agencyName: string | null;
  withheld: null | { reason: string };
  void: boolean;
  redacted: boolean;
}

/** A socket.io client with the session cookie, from the app's origin. */
export function openSocket(app: TestApp, cookie: string, options: { origin?: string } = {}): Socket {
  return connect(app.baseUrl, {
    transports: ['websocket'],
    extraHeaders: { Cookie: cookie, Origin: options.origin ?? app.baseUrl },
    reconnection: false,
    forceNew: true,
  });
}

export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
}

/** Emits with an ack, failing after `ms`. */
export function request(socket: Socket, event: string, payload: unknown, ms = 10_000): Promise<Ack> {
  return socket.timeout(ms).emitWithAck(event, payload) as Promise<Ack>;
}

/**
 * One participant's view of a room, on a socket to one server: joins with its watermark, keeps
 * live messages and catch-ups in a MessageLog, and can drop and reconnect.
 */
export class RoomClient {
  socket!: Socket;
  readonly log = new MessageLog<RoomMessage>();
  /** Every live `conference:message` event, in arrival order (before de-duplication). */
  readonly arrivals: RoomMessage[] = [];
  readonly events: { event: string; payload: unknown }[] = [];

  constructor(
    readonly app: TestApp,
    readonly cookie: string,
    readonly conferenceId: string,
  ) {}

  async connect(): Promise<Ack> {
    this.socket = openSocket(this.app, this.cookie);
    this.socket.on('conference:message', (m: RoomMessage) => {
      this.arrivals.push(m);
      this.log.add(m);
    });
    this.socket.on('conference:message:updated', (m: RoomMessage) => this.log.replace(m));
    this.socket.onAny((event: string, payload: unknown) => this.events.push({ event, payload }));
    await connected(this.socket);
    return this.join();
  }

  async join(): Promise<Ack> {
    const ack = await request(this.socket, 'conference:join', { conferenceId: this.conferenceId, lastSeq: this.log.watermark });
    if (ack.ok) this.log.addAll(ack.messages as RoomMessage[]);
    return ack;
  }

  send(body: string, clientId = randomBytes(8).toString('hex')): Promise<Ack> {
    return request(this.socket, 'conference:message', { conferenceId: this.conferenceId, clientId, body });
  }

  /** Drops the connection (as a network loss would). */
  drop(): void {
    this.socket.disconnect();
  }

  /** Text bodies in seq order. */
  bodies(): (string | null)[] {
    return this.log.list().filter((m) => !m.void && m.kind === 'text').map((m) => m.body);
  }

  close(): void {
    this.socket?.close();
  }
}

/** Waits until `check` is true, polling. */
export async function until(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
