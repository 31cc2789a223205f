import { io as connect, type Socket } from 'socket.io-client';
import { startTestApp, type TestApp } from '../helpers/server';
import { buildAgency, buildUser } from '../helpers/factories';
import { endAllSessions } from '../../server/auth/sessions';
import { redisEmitter } from '../../server/realtime/emitter';

let app: TestApp;
const sockets: Socket[] = [];

beforeAll(async () => {
  app = await startTestApp('handshake');
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await app.close();
});

function open(headers: Record<string, string>): Socket {
  const socket = connect(app.baseUrl, { transports: ['websocket'], extraHeaders: headers, reconnection: false, forceNew: true });
  sockets.push(socket);
  return socket;
}

function outcome(socket: Socket): Promise<'connected' | string> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (err) => resolve(`refused:${err.message}`));
  });
}

describe('Socket.io handshake', () => {
  it('accepts a signed-in session from our origin', async () => {
    const session = await app.as(await buildUser());
    const socket = open({ Cookie: session.cookie, Origin: app.baseUrl });
    expect(await outcome(socket)).toBe('connected');
  });

  it('refuses a handshake with no session', async () => {
    const socket = open({ Origin: app.baseUrl });
    expect(await outcome(socket)).toBe('refused:unauthenticated');
  });

  it('refuses a cross-origin handshake even with a valid session', async () => {
    const session = await app.as(await buildUser());
    const socket = open({ Cookie: session.cookie, Origin: 'https://evil.example' });
    const result = await outcome(socket);
    expect(result).toMatch(/^refused:/);
  });

  it('refuses an admin who has not set up the second factor', async () => {
    const session = await app.as(await buildUser({ roles: ['agency_admin'] }));
    const socket = open({ Cookie: session.cookie, Origin: app.baseUrl });
    expect(await outcome(socket)).toBe('refused:mfa_enrollment_required');
  });

  it('disconnects the socket at once when its session logs out', async () => {
    const session = await app.as(await buildUser());
    const socket = open({ Cookie: session.cookie, Origin: app.baseUrl });
    expect(await outcome(socket)).toBe('connected');
    const ended = new Promise((resolve) => socket.once('session:ended', resolve));
    const gone = new Promise((resolve) => socket.once('disconnect', resolve));
    await session.post('/api/auth/logout').expect(204);
    await expect(ended).resolves.toEqual({ reason: 'logout' });
    await expect(gone).resolves.toBe('io server disconnect');
  });

  it('disconnects every socket of a user whose sessions are ended (disabled user)', async () => {
    const built = await buildUser();
    const [one, two] = [await app.as(built), await app.as(built)];
    const a = open({ Cookie: one.cookie, Origin: app.baseUrl });
    const b = open({ Cookie: two.cookie, Origin: app.baseUrl });
    expect(await Promise.all([outcome(a), outcome(b)])).toEqual(['connected', 'connected']);
    const gone = Promise.all([a, b].map((s) => new Promise((resolve) => s.once('disconnect', resolve))));
    await endAllSessions(app.runtime.ctx, built.user.id);
    await expect(gone).resolves.toEqual(['io server disconnect', 'io server disconnect']);
  });

  it('moves a connected user between role rooms at once when an admin changes their roles', async () => {
    const agency = await buildAgency();
    const built = await buildUser({ roles: ['key_worker'], agency });
    const socket = open({ Cookie: (await app.as(built)).cookie, Origin: app.baseUrl });
    expect(await outcome(socket)).toBe('connected');
    const admin = await app.as(await buildUser({ roles: ['agency_admin'], agency, mfa: true }));
    await admin.patch(`/api/users/${built.user.id}`, { roles: ['practitioner'] }).expect(200);
    const heard: string[] = [];
    socket.on('probe', (p: { room: string }) => heard.push(p.room));
    await new Promise((r) => setTimeout(r, 100));
    for (const role of ['key_worker', 'practitioner']) {
      const room = `agency:${agency.id}:role:${role}`;
      app.runtime.ctx.realtime.emit(room, 'probe', { room: role });
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(heard).toEqual(['practitioner']);
  });

  it('sends an event for several rooms once to each socket in any of them, from the server and from a worker', async () => {
    const agency = await buildAgency();
    const other = await buildAgency();
    const member = await buildUser({ roles: ['panel_member'], agency });
    const duty = await buildUser({ roles: ['duty_manager'], agency: other });
    const bystander = await buildUser({ roles: ['key_worker'], agency });
    const heard = new Map<string, string[]>();
    for (const built of [member, duty, bystander]) {
      const socket = open({ Cookie: (await app.as(built)).cookie, Origin: app.baseUrl });
      expect(await outcome(socket)).toBe('connected');
      heard.set(built.user.id as string, []);
      socket.on('probe', (p: { from: string }) => heard.get(built.user.id as string)!.push(p.from));
    }
    await new Promise((r) => setTimeout(r, 100));
    const rooms = [`agency:${agency.id}:role:panel_member`, `user:${member.user.id as string}`, `agency:${other.id}:role:duty_manager`];
    app.runtime.ctx.realtime.emit(rooms, 'probe', { from: 'server' });
    redisEmitter(app.runtime.ctx.redis, app.config.redisPrefix).emit(rooms, 'probe', { from: 'worker' });
    await new Promise((r) => setTimeout(r, 300));
    expect(heard.get(member.user.id as string)?.sort()).toEqual(['server', 'worker']);
    expect(heard.get(duty.user.id as string)?.sort()).toEqual(['server', 'worker']);
    expect(heard.get(bystander.user.id as string)).toEqual([]);
  });
});
