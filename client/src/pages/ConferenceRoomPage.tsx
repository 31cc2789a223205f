/**
 * `/conferences/room/:id`: the live room — discussion with presence and typing, and a side panel
 * with agenda, risk, decisions and actions. It rejoins with catch-up after any reconnect, and says
 * plainly when you cannot join, were removed, or the connection is down.
 */
import { useCallback, useEffect, useState } from 'react';
import { ApiError, errorMessage } from '../api/ApiError';
import { conferencesApi, type Conference } from '../api/conferences';
import { Badge } from '../components/Badge';
import { Banner } from '../components/Banner';
import { PageHeading } from '../components/PageHeading';
import { ChairPanel } from '../conferences/ChairPanel';
import { Discussion } from '../conferences/Discussion';
import { SidePanel } from '../conferences/SidePanel';
import { useConferenceRoom } from '../conferences/useConferenceRoom';
import { outcomeLabel, refusalText, STATUS_LABELS } from '../conferences/vocab';
import { formatDateTime } from '../people/vocab';
import { useLocation } from '../router/history';
import { Link } from '../router/Link';
import '../conferences/conferences.css';

type Load = { status: 'loading' } | { status: 'error'; message: string; code: string } | { status: 'ready'; conference: Conference };

export function ConferenceRoomPage() {
  const { pathname } = useLocation();
  const id = pathname.split('/')[3] ?? '';
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [version, setVersion] = useState(0);
  const refetch = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    let live = true;
    conferencesApi.get(id).then(
      ({ conference }) => live && setLoad({ status: 'ready', conference }),
      (err: unknown) => live && setLoad({ status: 'error', message: errorMessage(err), code: err instanceof ApiError ? err.code : 'error' }),
    );
    return () => {
      live = false;
    };
  }, [id, version]);

  if (load.status === 'loading') return <p role="status">Loading the conference…</p>;
  if (load.status === 'error') {
    return (
      <>
        <PageHeading title="Conference" />
        <Banner tone="error">{refusalText(load.code, load.message)}</Banner>
        <Link to="/conferences">Back to conferences</Link>
      </>
    );
  }
  return <Room conference={load.conference} onChanged={(c) => setLoad({ status: 'ready', conference: c })} refetch={refetch} />;
}

function Room({ conference, onChanged, refetch }: { conference: Conference; onChanged: (c: Conference) => void; refetch: () => void }) {
  const room = useConferenceRoom(conference.id, refetch);
  const joined = room.state.status === 'joined';
  return (
    <>
      <PageHeading title={conference.title}>
        {conference.person.name ? `About ${conference.person.name}. ` : ''}Chaired by {conference.chair.name} ({conference.chair.agencyName}),{' '}
        {formatDateTime(conference.scheduledFor)}.
      </PageHeading>
      <div className="room-status">
        <Badge tone={conference.status === 'live' ? 'good' : 'neutral'}>{STATUS_LABELS[conference.status]}</Badge>
        <span role="status">
          {room.state.status === 'joined' ? 'Connected' : room.state.status === 'joining' ? 'Joining…' : room.state.status === 'reconnecting' ? 'Reconnecting… messages will catch up.' : ''}
        </span>
        {conference.status === 'closed' ? (
          <>
            <span>Outcome: {outcomeLabel(conference.outcome?.code)}</span>
            <Link to={`/conferences/minutes/${conference.id}`}>Open the minutes</Link>
          </>
        ) : null}
      </div>
      {room.state.status === 'refused' ? <Banner tone="error">{refusalText(room.state.code, room.state.message)}</Banner> : null}
      {room.state.status === 'removed' ? <Banner tone="error">The chair removed you from this conference.</Banner> : null}
      {room.state.status === 'removed' || room.state.status === 'refused' ? (
        <Link to="/conferences">Back to conferences</Link>
      ) : (
        <div className="room">
          <div>
            <Discussion
              messages={room.messages}
              pending={room.pending}
              online={room.online}
              typing={room.typing}
              canSend={joined && conference.status === 'live'}
              youId={conference.you.userId}
              isChair={conference.you.isChair}
              onSend={room.send}
              onRetry={(p) => void room.retry(p)}
              onDiscard={room.discard}
              onEdit={room.edit}
              onRedact={room.redact}
              onTyping={room.setTyping}
            />
            {conference.status === 'scheduled' ? <p className="muted">The discussion opens when the chair starts the conference.</p> : null}
            <ChairPanel conference={conference} onChanged={onChanged} />
          </div>
          <SidePanel conference={conference} onChanged={onChanged} />
        </div>
      )}
    </>
  );
}
