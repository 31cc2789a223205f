/**
 * Lets a process without Socket.io (a worker) send events to rooms on every server process,
 * through the same Redis channels the adapter listens on.
 */
import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import type { RealtimeControl } from '../context';

/** A realtime `emit` for worker processes, publishing on `redis` under the deployment's prefix. */
export function redisEmitter(redis: Redis, redisPrefix: string): Pick<RealtimeControl, 'emit'> {
  const emitter = new Emitter(redis, { key: `${redisPrefix}:socket.io` });
  return {
    emit(room, event, payload) {
      emitter.to(typeof room === 'string' ? room : [...room]).emit(event, payload);
    },
  };
}
