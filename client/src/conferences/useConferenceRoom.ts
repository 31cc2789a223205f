/**
 * One conference room over the app's socket: joins (and rejoins after every reconnect) with the
 * last contiguous `seq`, so the server sends exactly what was missed; keeps messages in a
 * MessageLog (one per seq, in order); tracks presence and typing; sends messages with a client id
 * and retries a send whose ack does not come, which the server recognises and never posts twice.
 */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { Socket } from 'socket.io-client';
import type { ConferenceMessage } from '../api/conferences';
import { useRealtime } from '../realtime/RealtimeContext';
import { MessageLog } from './messageLog';

export interface Ack {
  ok: boolean;
  code?: string;
  message?: string;
  [key: string]: unknown;
}

export interface PresenceEntry {
  socketId: string;
  userId: string;
  name: string;
  agencyName: string;
}

export type RoomState =
  | { status: 'joining' }
  | { status: 'joined' }
  | { status: 'reconnecting' }
  | { status: 'refused'; code: string; message: string }
  | { status: 'removed' };

/** A message sent from this page whose ack has not come yet (or that failed). */
export interface PendingMessage {
  clientId: string;
  body: string;
  failed: string | null;
}

const ACK_TIMEOUT_MS = 5000;
const SEND_ATTEMPTS = 3;
const TYPING_SHOWN_MS = 5000;

function newClientId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function useConferenceRoom(conferenceId: string, onChanged: () => void) {
  const { socket: appSocket, status: connection } = useRealtime();
  // The app's socket is typed for app-wide events; room events are this hook's own.
  const socket = appSocket as unknown as Socket | null;
  const logRef = useRef(new MessageLog<ConferenceMessage>());
  const [, bump] = useReducer((n: number) => n + 1, 0);
  const [state, setState] = useState<RoomState>({ status: 'joining' });
  const [presence, setPresence] = useState<Map<string, PresenceEntry>>(() => new Map());
  const [typing, setTyping] = useState<Map<string, { name: string; until: number }>>(() => new Map());
  const [pending, setPending] = useState<PendingMessage[]>([]);
  const changedRef = useRef(onChanged);
  changedRef.current = onChanged;

  const request = useCallback(
    async (event: string, payload: object): Promise<Ack> => {
      if (!socket?.connected) return { ok: false, code: 'offline', message: 'Not connected: trying to reconnect.' };
      try {
        return (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload)) as Ack;
      } catch {
        return { ok: false, code: 'timeout', message: 'The server did not answer in time.' };
      }
    },
    [socket],
  );

  useEffect(() => {
    if (!socket) return;
    let live = true;
    const mine = (p: { conferenceId?: string; id?: string }) => (p.conferenceId ?? p.id) === conferenceId;

    async function join() {
      setState({ status: 'joining' });
      let ack = await request('conference:join', { conferenceId, lastSeq: logRef.current.watermark });
      if (!live) return;
      if (!ack.ok) {
        if (ack.code === 'offline' || ack.code === 'timeout') setState({ status: 'reconnecting' });
        else setState({ status: 'refused', code: ack.code ?? 'error', message: ack.message ?? 'You cannot join this conference.' });
        return;
      }
      logRef.current.addAll(ack.messages as ConferenceMessage[]);
      setPresence(new Map((ack.presence as PresenceEntry[]).map((p) => [p.socketId, p])));
      while (ack.more && live) {
        ack = await request('conference:catchup', { conferenceId, afterSeq: logRef.current.head });
        if (!ack.ok) break;
        logRef.current.addAll(ack.messages as ConferenceMessage[]);
      }
      if (!live) return;
      setState({ status: 'joined' });
      bump();
      // Anything that changed while away (items, participants) comes through the API.
      changedRef.current();
    }

    const onMessage = (m: ConferenceMessage) => {
      if (m.conferenceId !== conferenceId) return;
      if (logRef.current.add(m)) bump();
      if (m.clientId) setPending((list) => list.filter((p) => p.clientId !== m.clientId));
    };
    const onUpdated = (m: ConferenceMessage) => {
      if (m.conferenceId !== conferenceId) return;
      logRef.current.replace(m);
      bump();
    };
    const onPresence = (p: PresenceEntry & { online: boolean; removed?: boolean }) => {
      setPresence((current) => {
        const next = new Map(current);
        if (p.online) next.set(p.socketId, p);
        else for (const [key, entry] of next) if (key === p.socketId || (!p.socketId && entry.userId === p.userId)) next.delete(key);
        return next;
      });
    };
    const onTyping = (t: { userId: string; name: string; typing: boolean }) => {
      setTyping((current) => {
        const next = new Map(current);
        if (t.typing) next.set(t.userId, { name: t.name, until: Date.now() + TYPING_SHOWN_MS });
        else next.delete(t.userId);
        return next;
      });
    };
    const onChangedHint = (p: { id: string }) => mine(p) && changedRef.current();
    const onRemoved = (p: { id: string }) => mine(p) && setState({ status: 'removed' });
    const onConnect = () => void join();
    const onDisconnect = () => setState((s) => (s.status === 'refused' || s.status === 'removed' ? s : { status: 'reconnecting' }));

    const handlers: [string, Parameters<typeof socket.on>[1]][] = [
      ['conference:message', onMessage],
      ['conference:message:updated', onUpdated],
      ['conference:presence', onPresence],
      ['conference:typing', onTyping],
      ['conference:updated', onChangedHint],
      ['conference:removed', onRemoved],
      ['connect', onConnect],
      ['disconnect', onDisconnect],
    ];
    for (const [event, handler] of handlers) socket.on(event, handler);
    if (socket.connected) void join();
    return () => {
      live = false;
      for (const [event, handler] of handlers) socket.off(event, handler);
      if (socket.connected) socket.emit('conference:leave', { conferenceId });
    };
  }, [socket, conferenceId, request]);

  // Typing notes fade on their own.
  useEffect(() => {
    if (typing.size === 0) return;
    const timer = window.setInterval(() => {
      setTyping((current) => {
        const now = Date.now();
        const next = new Map([...current].filter(([, t]) => t.until > now));
        return next.size === current.size ? current : next;
      });
    }, 1000);
    return () => window.clearInterval(timer);
  }, [typing.size]);

  const send = useCallback(
    async (body: string, clientId = newClientId()): Promise<boolean> => {
      setPending((list) => [...list.filter((p) => p.clientId !== clientId), { clientId, body, failed: null }]);
      let ack: Ack = { ok: false };
      for (let attempt = 1; attempt <= SEND_ATTEMPTS; attempt++) {
        ack = await request('conference:message', { conferenceId, clientId, body });
        if (ack.ok || (ack.code !== 'timeout' && ack.code !== 'offline' && ack.code !== 'rate_limited')) break;
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
      if (ack.ok) {
        // The message itself arrives through the room; drop the pending copy if it already has.
        if (logRef.current.list().some((m) => m.clientId === clientId)) setPending((list) => list.filter((p) => p.clientId !== clientId));
        return true;
      }
      setPending((list) => list.map((p) => (p.clientId === clientId ? { ...p, failed: ack.message ?? 'Not sent.' } : p)));
      return false;
    },
    [conferenceId, request],
  );

  const retry = useCallback((p: PendingMessage) => send(p.body, p.clientId), [send]);
  const discard = useCallback((clientId: string) => setPending((list) => list.filter((p) => p.clientId !== clientId)), []);
  const edit = useCallback((seq: number, body: string) => request('conference:edit', { conferenceId, seq, body }), [conferenceId, request]);
  const redact = useCallback((seq: number) => request('conference:redact', { conferenceId, seq }), [conferenceId, request]);

  const lastTyping = useRef(0);
  const setTypingState = useCallback(
    (isTyping: boolean) => {
      const now = Date.now();
      if (isTyping && now - lastTyping.current < 3000) return;
      lastTyping.current = isTyping ? now : 0;
      void request('conference:typing', { conferenceId, typing: isTyping });
    },
    [conferenceId, request],
  );

  const people = new Map<string, PresenceEntry>();
  for (const p of presence.values()) people.set(p.userId, p);

  return {
    state,
    connection,
    messages: logRef.current.list().filter((m) => !m.void),
    pending,
    online: [...people.values()],
    typing: [...typing.values()].map((t) => t.name),
    send,
    retry,
    discard,
    edit,
    redact,
    setTyping: setTypingState,
  };
}
