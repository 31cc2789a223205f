/** Handshake, liveness and server-information commands. */
import { MAX_BSON_BYTES, MAX_MESSAGE_BYTES } from '../wire';
import type { Handler } from './context';

const START = Date.now();

/** The hello reply. Never includes topologyVersion: the driver would switch to streaming heartbeats. */
export const hello: Handler = (body, ctx) => ({
  ...(body.helloOk ? { helloOk: true } : {}),
  ismaster: true,
  isWritablePrimary: true,
  maxBsonObjectSize: MAX_BSON_BYTES,
  maxMessageSizeBytes: MAX_MESSAGE_BYTES,
  maxWriteBatchSize: 100_000,
  localTime: new Date(),
  logicalSessionTimeoutMinutes: 30,
  connectionId: ctx.connectionId,
  minWireVersion: 0,
  maxWireVersion: 21,
  readOnly: false,
  ok: 1,
});

const VERSION = '7.0.0-embedded';

export const handshakeCommands: Record<string, Handler> = {
  hello,
  ismaster: hello,
  isMaster: hello,
  ping: () => ({ ok: 1 }),
  buildInfo: () => ({ version: VERSION, gitVersion: 'embedded', versionArray: [7, 0, 0, 0], bits: 64, maxBsonObjectSize: MAX_BSON_BYTES, storageEngines: ['embedded'], ok: 1 }),
  buildinfo: () => handshakeCommands.buildInfo({}, undefined as never),
  whatsmyuri: (_b, ctx) => ({ you: `127.0.0.1:${ctx.connectionId}`, ok: 1 }),
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  getLastError: () => ({ n: 0, err: null, ok: 1 }),
  endSessions: () => ({ ok: 1 }),
  killSessions: () => ({ ok: 1 }),
  refreshSessions: () => ({ ok: 1 }),
  startSession: () => ({ ok: 1 }),
  hostInfo: () => ({ system: { currentTime: new Date(), hostname: 'embedded' }, os: { type: process.platform }, ok: 1 }),
  getCmdLineOpts: () => ({ argv: ['embedded'], parsed: {}, ok: 1 }),
  getParameter: () => ({ featureCompatibilityVersion: { version: '7.0' }, ok: 1 }),
  serverStatus: (_b, ctx) => ({
    host: 'embedded', version: VERSION, process: 'embedded', pid: process.pid,
    uptime: Math.floor((Date.now() - START) / 1000), localTime: new Date(),
    connections: { current: 0 }, metrics: { cursor: { open: { total: ctx.cursors.size } } }, ok: 1,
  }),
};
