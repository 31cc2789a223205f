/**
 * The signed-in user's open tasks, kept fresh: fetched on mount, again whenever the server says
 * over the socket that a task was raised (`task:created`), and after the socket reconnects (a
 * task raised while offline sends no event).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/ApiError';
import { tasksApi, type Task } from '../api/tasks';
import { useRealtime } from '../realtime/RealtimeContext';

export type TasksLoad =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; tasks: Task[] };

export interface OpenTasks {
  load: TasksLoad;
  /** A fetch is under way (the first, or a refresh). */
  refreshing: boolean;
  reload: () => void;
}

export function useOpenTasks(onNewTask?: () => void): OpenTasks {
  const { socket } = useRealtime();
  const [load, setLoad] = useState<TasksLoad>({ status: 'loading' });
  const [refreshing, setRefreshing] = useState(true);
  const [version, setVersion] = useState(0);
  const onNewRef = useRef(onNewTask);
  useEffect(() => {
    onNewRef.current = onNewTask;
  }, [onNewTask]);

  useEffect(() => {
    let live = true;
    setRefreshing(true);
    tasksApi.open().then(
      ({ tasks }) => {
        if (!live) return;
        setLoad({ status: 'ready', tasks });
        setRefreshing(false);
      },
      (err: unknown) => {
        if (!live) return;
        // Keep showing the last list if a refresh fails; say so only when there is nothing to show.
        setLoad((current) => (current.status === 'ready' ? current : { status: 'error', message: errorMessage(err) }));
        setRefreshing(false);
      },
    );
    return () => {
      live = false;
    };
  }, [version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    if (!socket) return;
    const created = () => {
      reload();
      onNewRef.current?.();
    };
    socket.on('task:created', created);
    socket.on('connect', reload);
    return () => {
      socket.off('task:created', created);
      socket.off('connect', reload);
    };
  }, [socket, reload]);

  return { load, refreshing, reload };
}
