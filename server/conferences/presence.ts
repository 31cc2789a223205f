/**
 * Who is in a conference room right now, kept in Redis and shared by every server process: one
 * hash per conference, one field per socket (`<node>/<socketId>`), written on join and removed on
 * leave or disconnect. Joining writes the caller's entry and reads everyone present in one round
 * trip, instead of asking every process for its sockets.
 *
 * Each server process is a node with a liveness key refreshed every few seconds. Entries of a node
 * whose key has expired (a process that died without saying goodbye) are dropped the next time
 * anyone joins the room, so a crash leaves no ghosts for longer than NODE_TTL_MS. A clean
 * shutdown deletes its liveness key at once.
 *
 * Presence is ephemeral: nothing here is personal data beyond the display name already shown in
 * the room, and the hashes expire a day after the last join.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisScript } from '../redisScript';

/** A node is live while its key exists; refreshed at a third of this. */
export const NODE_TTL_MS = 30_000;
/** A room's presence hash expires this long after its last join. */
const ROOM_TTL_S = 24 * 3600;

/** Who a socket is, as others in a room see it. */
export interface PresenceEntry {
  socketId: string;
  userId: string;
  name: string;
  agencyName: string;
}

/**
 * KEYS[1] the room's hash. ARGV: field, value, room TTL (s), node-key prefix. Adds the field, then
 * returns the values of every entry whose node is live, deleting the others. (The node keys are
 * read by name inside the script: fine for a single Redis, not for a cluster.)
 */
const ENTER = redisScript(`
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
local all = redis.call('HGETALL', KEYS[1])
local out = {}
local live = {}
for i = 1, #all, 2 do
  local node = string.match(all[i], '^([^/]+)/')
  local ok = node and live[node]
  if ok == nil then
    ok = node ~= nil and redis.call('EXISTS', ARGV[4] .. node) == 1
    if node then live[node] = ok end
  end
  if ok then out[#out + 1] = all[i + 1] else redis.call('HDEL', KEYS[1], all[i]) end
end
return out`);

export interface ConferencePresence {
  /** Records the socket as present and returns everyone present (itself included). */
  enter(conferenceId: string, entry: PresenceEntry): Promise<PresenceEntry[]>;
  /** Removes the socket's entry. */
  leave(conferenceId: string, socketId: string): Promise<void>;
  /** Stops the heartbeat and marks this node gone (its entries no longer count). */
  close(): Promise<void>;
}

/** Presence for one server process. */
export function redisPresence(redis: Redis, redisPrefix: string, options: { ttlMs?: number } = {}): ConferencePresence {
  const ttlMs = options.ttlMs ?? NODE_TTL_MS;
  const node = randomBytes(8).toString('hex');
  const nodePrefix = `${redisPrefix}:presence:node:`;
  const nodeKey = nodePrefix + node;
  const roomKey = (conferenceId: string) => `${redisPrefix}:conference:${conferenceId}:presence`;
  const field = (socketId: string) => `${node}/${socketId}`;

  const beat = () => redis.set(nodeKey, '1', 'PX', ttlMs).catch(() => undefined);
  let alive: Promise<unknown> = beat();
  const timer = setInterval(() => void beat(), Math.max(100, Math.floor(ttlMs / 3)));
  timer.unref();

  return {
    async enter(conferenceId, entry) {
      await alive;
      const values = (await ENTER(redis, [roomKey(conferenceId)], [field(entry.socketId), JSON.stringify(entry), String(ROOM_TTL_S), nodePrefix])) as string[];
      return values.map((v) => JSON.parse(v) as PresenceEntry);
    },
    async leave(conferenceId, socketId) {
      await redis.hdel(roomKey(conferenceId), field(socketId));
    },
    async close() {
      clearInterval(timer);
      alive = Promise.resolve();
      await redis.del(nodeKey).catch(() => undefined);
    },
  };
}
