/** What was sent, to whom, when, and whether it arrived. */
import type { Delivery } from '../api/duty';
import { shortTime } from './time';

const CHANNEL: Record<Delivery['channel'], string> = { in_app: 'In app', email: 'Email', webhook: 'Pager / SMS' };
const REASON: Record<string, string> = {
  routed: 'Routed', escalation: 'Escalated', handover: 'Handed over to', handed_over: 'Handed over from', re_notify: 'Reminder', taken: 'Taken',
};
const STATUS: Record<Delivery['status'], string> = { pending: 'Retrying', sent: 'Sent', delivered: 'Delivered', failed: 'Failed' };

export function DeliveryLog({ deliveries }: { deliveries: Delivery[] }) {
  return (
    <section className="panel" aria-labelledby="delivery-log-title">
      <h2 id="delivery-log-title">Notification log</h2>
      {deliveries.length === 0 ? (
        <p className="muted">No notifications sent yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="record-table">
            <caption className="visually-hidden">Recent notifications for your agency's out-of-hours alerts</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Channel</th>
                <th scope="col">To</th>
                <th scope="col">Why</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id}>
                  <td className="nowrap">
                    <time dateTime={d.createdAt}>{shortTime(d.createdAt)}</time>
                  </td>
                  <td>{CHANNEL[d.channel]}</td>
                  <td>{d.recipient.name}</td>
                  <td>{REASON[d.reason] ?? d.reason}</td>
                  <td>
                    {STATUS[d.status]}
                    {d.attempts > 1 ? <span className="cell-sub">{d.attempts} attempts</span> : null}
                    {d.lastError ? <span className="cell-sub">{d.lastError}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
